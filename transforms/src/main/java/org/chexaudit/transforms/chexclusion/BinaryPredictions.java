package org.chexaudit.transforms.chexclusion;

import static org.chexaudit.core.Checks.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.chexaudit.core.io.CsvWriter;
import org.chexaudit.core.stats.ScoredRow;

/**
 * CheXclusion's binary test predictions ({@code bipred.csv}, spec B5): per row, {@code bi_<label>} is
 * {@code True} when the score is at or above the label's threshold (a NaN threshold predicts none
 * positive). Output: {@code KV<id, CSV line>}, the line being the id then one {@code True}/{@code False}
 * per label, ready for a sorted CSV writer; {@link #header} gives the matching header.
 */
public final class BinaryPredictions extends PTransform<PCollection<ScoredRow>, PCollection<KV<String, String>>> {
  private final List<String> labels;
  private final PCollection<KV<String, Double>> thresholds;

  private BinaryPredictions(List<String> labels, PCollection<KV<String, Double>> thresholds) {
    this.labels = labels;
    this.thresholds = thresholds;
  }

  /** {@code labels} are the rows' scores by position; {@code thresholds} one {@code KV<label, threshold>} each. */
  public static BinaryPredictions at(List<String> labels, PCollection<KV<String, Double>> thresholds) {
    checkArgument(labels != null && !labels.isEmpty(), "BinaryPredictions: labels must not be empty, got %s", labels);
    checkArgument(thresholds != null, "BinaryPredictions: thresholds can not be null");
    return new BinaryPredictions(List.copyOf(labels), thresholds);
  }

  /** {@code Path,bi_<label>,...}: the original's columns ({@code Path} holds the row id). */
  public static String header(List<String> labels) {
    List<String> fields = new ArrayList<>(List.of("Path"));
    labels.forEach(l -> fields.add("bi_" + l));
    return String.join(",", fields.stream().map(CsvWriter::escape).toList());
  }

  @Override
  public PCollection<KV<String, String>> expand(PCollection<ScoredRow> rows) {
    PCollectionView<Map<String, Double>> view = thresholds.apply("ThresholdView", View.asMap());
    return rows.apply("BinaryRows", ParDo.of(new LineFn(labels, view)).withSideInputs(view))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
  }

  private static final class LineFn extends DoFn<ScoredRow, KV<String, String>> {
    private final List<String> labels;
    private final PCollectionView<Map<String, Double>> view;
    private transient double[] byPosition;

    LineFn(List<String> labels, PCollectionView<Map<String, Double>> view) {
      this.labels = labels;
      this.view = view;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      if (byPosition == null) { // read once: the Direct runner rebuilds a map view on every read
        Map<String, Double> t = c.sideInput(view);
        byPosition = new double[labels.size()];
        for (int l = 0; l < byPosition.length; l++) {
          Double v = t.get(labels.get(l));
          if (v == null) {
            throw new IllegalStateException("BinaryPredictions: no threshold for label '" + labels.get(l)
                + "'; the thresholds have labels " + t.keySet());
          }
          byPosition[l] = v;
        }
      }
      ScoredRow r = c.element();
      StringBuilder line = new StringBuilder(CsvWriter.escape(r.id()));
      for (int l = 0; l < byPosition.length; l++) {
        line.append(r.score(l) >= byPosition[l] ? ",True" : ",False"); // false for a NaN threshold
      }
      c.output(KV.of(r.id(), line.toString()));
    }
  }
}
