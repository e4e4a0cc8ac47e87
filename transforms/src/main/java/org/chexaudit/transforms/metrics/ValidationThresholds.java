package org.chexaudit.transforms.metrics;

import static org.chexaudit.core.Checks.checkArgument;

import java.util.List;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.chexaudit.core.stats.MaxF1Rule;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.core.stats.SubgroupKey;
import org.chexaudit.schemas.SubgroupMetric;

/**
 * Thresholds chosen on a validation set, to be applied unchanged to the audited rows
 * ({@link SubgroupMetrics#withThresholds(PCollection)}), as CheXclusion does (spec B5): per label, the
 * threshold that maximises F1 on the validation rows, the lowest among ties
 * ({@code precision_recall_curve}, {@code bestthr[0]}). A label without validation positives has F1
 * undefined everywhere and gets NaN, which predicts no row positive.
 *
 * <p>The threshold is read off the whole set's curve by {@link SubgroupMetrics} itself (rule
 * {@link MaxF1Rule}), so it is computed by the same segmented histograms as every other threshold and
 * the validation rows are never gathered. Output: one {@code KV<label, threshold>} per label.
 */
public final class ValidationThresholds extends PTransform<PCollection<ScoredRow>, PCollection<KV<String, Double>>> {
  private final List<String> labels;
  private final int keyShards;

  private ValidationThresholds(List<String> labels, int keyShards) {
    this.labels = labels;
    this.keyShards = keyShards;
  }

  /** Max-F1 thresholds of {@code labels} (the rows' scores and targets by position). */
  public static ValidationThresholds maxF1(List<String> labels) {
    checkArgument(labels != null && !labels.isEmpty(), "ValidationThresholds: labels must not be empty, got %s", labels);
    return new ValidationThresholds(List.copyOf(labels), SubgroupMetrics.DEFAULT_KEY_SHARDS);
  }

  /** Buckets of {@link SubgroupMetrics#withKeyShards}; results do not depend on it. */
  public ValidationThresholds withKeyShards(int shards) {
    checkArgument(shards >= 1, "ValidationThresholds: keyShards must be >= 1, got %s", shards);
    return new ValidationThresholds(labels, shards);
  }

  @Override
  public PCollection<KV<String, Double>> expand(PCollection<ScoredRow> rows) {
    return rows
        .apply("WholeSetCurves", SubgroupMetrics.of(labels, List.of(), List.of()).withRule(MaxF1Rule.create())
            .withKeyShards(keyShards))
        .apply("LabelThresholds", ParDo.of(new ThresholdFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), DoubleCoder.of()));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("labels", String.join(",", labels))).add(DisplayData.item("rule", "maxf1"));
  }

  private static final class ThresholdFn extends DoFn<SubgroupMetric, KV<String, Double>> {
    @ProcessElement
    public void process(@Element SubgroupMetric m, OutputReceiver<KV<String, Double>> out) {
      if (SubgroupKey.ALL.equals(m.getAttribute().toString())) {
        out.output(KV.of(m.getLabel().toString(), m.getPositives() == 0 ? Double.NaN : m.getThreshold()));
      }
    }
  }
}
