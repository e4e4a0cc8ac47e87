package org.chexaudit.transforms.metrics;

import org.chexaudit.core.stats.ScoredRow;

import org.chexaudit.core.stats.Grouping;

import static org.chexaudit.core.Checks.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.chexaudit.schemas.SubgroupMetric;
import org.chexaudit.core.stats.Calibration;
import org.chexaudit.core.stats.ScoreHistogram;
import org.chexaudit.core.stats.ThresholdRule;

/**
 * Per-label, per-subgroup performance of scored rows: n, positives, negatives, AUC, TPR, FPR,
 * precision, Youden's J and calibration, for the whole set ({@code all/all}), every attribute and
 * every intersection ({@code sex*race}).
 *
 * <p>Each (label, grouping, group) is one key whose exact score histogram is combined across
 * workers; the label's threshold is chosen by the rule on the whole set's histogram (so, e.g., the
 * FPR-0.2 point of the full ROC) and applied to every subgroup. Groups smaller than
 * {@code minGroupSize} get only their sizes and the note "insufficient data". With
 * {@link #withBootstrap} the rows also get percentile intervals from {@link Bootstrap}.
 */
public final class SubgroupMetrics extends PTransform<PCollection<ScoredRow>, PCollection<SubgroupMetric>> {
  private final List<String> labels;
  private final List<String> attributes;
  private final List<String> groupings;
  private final ThresholdRule rule;
  private final Map<String, Double> fixedThresholds;
  private final long minGroupSize;
  private final int calibrationBins;
  private final Bootstrap bootstrap;
  private PCollection<KV<List<String>, List<Double>>> intervals;

  private SubgroupMetrics(List<String> labels, List<String> attributes, List<String> groupings,
      ThresholdRule rule, Map<String, Double> fixedThresholds, long minGroupSize, int calibrationBins,
      Bootstrap bootstrap) {
    this.labels = labels;
    this.attributes = attributes;
    this.groupings = groupings;
    this.rule = rule;
    this.fixedThresholds = fixedThresholds;
    this.minGroupSize = minGroupSize;
    this.calibrationBins = calibrationBins;
    this.bootstrap = bootstrap;
  }

  /**
   * Metrics for {@code labels} (the rows' scores/targets by position), with row attribute names
   * {@code attributes} and subgroup specs {@code groupings} (attribute names or {@code a*b}).
   * Defaults: rule {@code fpr:0.2}, no minimum group size, 10 calibration bins, no bootstrap.
   */
  public static SubgroupMetrics of(List<String> labels, List<String> attributes, List<String> groupings) {
    checkArgument(labels != null && !labels.isEmpty(), "SubgroupMetrics: labels must not be empty, got %s", labels);
    checkArgument(attributes != null, "SubgroupMetrics: attributes can not be null");
    checkArgument(groupings != null, "SubgroupMetrics: groupings can not be null");
    Grouping.parseAll(groupings, attributes);
    return new SubgroupMetrics(List.copyOf(labels), List.copyOf(attributes), List.copyOf(groupings),
        ThresholdRule.parse("fpr:0.2"), Map.of(), 0, Calibration.DEFAULT_BINS, null);
  }

  /** The rule choosing each label's threshold on the whole set. */
  public SubgroupMetrics withRule(ThresholdRule rule) {
    checkArgument(rule != null, "SubgroupMetrics: rule can not be null");
    return new SubgroupMetrics(labels, attributes, groupings, rule, Map.of(), minGroupSize, calibrationBins, bootstrap);
  }

  /** Thresholds chosen elsewhere (e.g. max F1 on a validation file), one per label. */
  public SubgroupMetrics withThresholds(Map<String, Double> thresholds) {
    checkArgument(thresholds != null && thresholds.keySet().containsAll(labels),
        "SubgroupMetrics: thresholds must cover every label %s, got %s", labels, thresholds);
    return new SubgroupMetrics(labels, attributes, groupings, rule, Map.copyOf(thresholds), minGroupSize,
        calibrationBins, bootstrap);
  }

  public SubgroupMetrics withMinGroupSize(long minGroupSize) {
    checkArgument(minGroupSize >= 0, "SubgroupMetrics: minGroupSize must be >= 0, got %s", minGroupSize);
    return new SubgroupMetrics(labels, attributes, groupings, rule, fixedThresholds, minGroupSize, calibrationBins, bootstrap);
  }

  public SubgroupMetrics withCalibrationBins(int bins) {
    checkArgument(bins >= 1, "SubgroupMetrics: calibrationBins must be >= 1, got %s", bins);
    return new SubgroupMetrics(labels, attributes, groupings, rule, fixedThresholds, minGroupSize, bins, bootstrap);
  }

  /** Adds intervals from {@code bootstrap} (configure its replicates, seed and unit there). */
  public SubgroupMetrics withBootstrap(Bootstrap bootstrap) {
    return new SubgroupMetrics(labels, attributes, groupings, rule, fixedThresholds, minGroupSize, calibrationBins, bootstrap);
  }

  /** Adds intervals already computed by a {@link Bootstrap} (e.g. shared with {@link TprDisparity}). */
  public SubgroupMetrics withIntervals(PCollection<KV<List<String>, List<Double>>> intervals) {
    SubgroupMetrics m = new SubgroupMetrics(labels, attributes, groupings, rule, fixedThresholds, minGroupSize,
        calibrationBins, null);
    m.intervals = intervals;
    return m;
  }

  /** A {@link Bootstrap} configured with this transform's labels, groupings and rule. */
  public Bootstrap bootstrap() {
    Bootstrap b = Bootstrap.of(labels, attributes, groupings);
    return fixedThresholds.isEmpty() ? b.withRule(rule) : b.withThresholds(fixedThresholds);
  }

  @Override
  public PCollection<SubgroupMetric> expand(PCollection<ScoredRow> rows) {
    List<Grouping> parsed = Grouping.parseAll(groupings, attributes);
    PCollection<KV<List<String>, ScoreHistogram>> histograms = rows
        .apply("PartialHistograms", ParDo.of(new PartialHistogramsFn(labels, parsed)))
        .setCoder(KvCoder.of(ListCoder.of(StringUtf8Coder.of()), SerializableCoder.of(ScoreHistogram.class)))
        .apply("MergeHistograms", Combine.perKey(new MergeFn()));
    PCollectionView<Map<String, Double>> thresholds = histograms
        .apply("ChooseThresholds", ParDo.of(new ChooseThresholdFn(rule, fixedThresholds)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), DoubleCoder.of()))
        .apply("ThresholdView", View.asMap());
    List<PCollectionView<?>> sideInputs = new ArrayList<>();
    sideInputs.add(thresholds);
    PCollectionView<Map<List<String>, List<Double>>> intervalView = null;
    PCollection<KV<List<String>, List<Double>>> bounds =
        intervals != null ? intervals : bootstrap != null ? rows.apply("Bootstrap", bootstrap) : null;
    if (bounds != null) {
      intervalView = bounds.apply("IntervalView", View.asMap());
      sideInputs.add(intervalView);
    }
    return histograms
        .apply("ToMetrics", ParDo.of(new ToMetricFn(thresholds, intervalView, minGroupSize, calibrationBins))
            .withSideInputs(sideInputs))
        .setCoder(AvroCoder.of(SubgroupMetric.class));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("labels", String.join(",", labels)))
        .add(DisplayData.item("groupings", String.join(",", groupings)))
        .add(DisplayData.item("rule", fixedThresholds.isEmpty() ? rule.describe() : "fixed " + fixedThresholds))
        .add(DisplayData.item("minGroupSize", minGroupSize))
        .add(DisplayData.item("bootstrap", bootstrap != null));
  }

  private static final class MergeFn extends Combine.BinaryCombineFn<ScoreHistogram> {
    @Override
    public ScoreHistogram apply(ScoreHistogram left, ScoreHistogram right) {
      return left.merge(right);
    }
  }

  private static final class ChooseThresholdFn extends DoFn<KV<List<String>, ScoreHistogram>, KV<String, Double>> {
    private final ThresholdRule rule;
    private final Map<String, Double> fixed;

    ChooseThresholdFn(ThresholdRule rule, Map<String, Double> fixed) {
      this.rule = rule;
      this.fixed = fixed;
    }

    @ProcessElement
    public void process(@Element KV<List<String>, ScoreHistogram> e, OutputReceiver<KV<String, Double>> out) {
      if (PartialHistogramsFn.ALL.equals(e.getKey().get(1))) {
        String label = e.getKey().get(0);
        out.output(KV.of(label, fixed.isEmpty() ? rule.choose(e.getValue().curve()) : fixed.get(label)));
      }
    }
  }

  private static final class ToMetricFn extends DoFn<KV<List<String>, ScoreHistogram>, SubgroupMetric> {
    private final PCollectionView<Map<String, Double>> thresholds;
    private final PCollectionView<Map<List<String>, List<Double>>> intervals;
    private final long minGroupSize;
    private final int calibrationBins;

    ToMetricFn(PCollectionView<Map<String, Double>> thresholds,
        PCollectionView<Map<List<String>, List<Double>>> intervals, long minGroupSize, int calibrationBins) {
      this.thresholds = thresholds;
      this.intervals = intervals;
      this.minGroupSize = minGroupSize;
      this.calibrationBins = calibrationBins;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      List<String> key = c.element().getKey();
      double threshold = c.sideInput(thresholds).get(key.get(0));
      double[] bounds = null;
      if (intervals != null) {
        List<Double> b = c.sideInput(intervals).get(key);
        if (b != null) {
          bounds = b.stream().mapToDouble(Double::doubleValue).toArray();
        }
      }
      c.output(MetricRecords.build(key, c.element().getValue(), threshold, minGroupSize, calibrationBins, bounds));
    }
  }
}
