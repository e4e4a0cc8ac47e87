package org.chexaudit.pipelines;

import java.io.BufferedWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.core.io.CsvWriter;
import org.chexaudit.core.stats.ConfusionCounts;
import org.chexaudit.core.stats.GroupThresholds;
import org.chexaudit.core.stats.ThresholdRule;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.chexaudit.transforms.io.Resources;

/**
 * Group-specific thresholds (early chexploration, seeds-spec A7.1): per label, the rule chooses a
 * threshold on each true group's own rows; each row is then thresholded at the threshold of its
 * {@code thresholdBy} value — the true group, or the group another model predicts — and TPR/FPR are
 * reported per true group. Computed in the pipeline ({@link GroupThresholdRows}: each label's rows on one
 * worker, as the bootstrap gathers them); the driver writes the few table rows.
 */
final class GroupThresholdTable {
  static final List<String> HEADER = List.of(
      "label", "attribute", "group", "threshold", "n", "positives", "negatives", "tpr", "fpr", "threshold_by");

  private GroupThresholdTable() {}

  /**
   * The table's rows of label {@code l}.
   *
   * @param attribute index of the true-group attribute in each row
   * @param thresholdBy index of the attribute whose value picks a row's threshold
   */
  static List<List<String>> rows(List<ScoredRow> data, int l, String label, String attributeName,
      int attribute, String thresholdByName, int thresholdBy, ThresholdRule rule) {
    String[] group = new String[data.size()];
    String[] by = new String[data.size()];
    for (int i = 0; i < group.length; i++) {
      group[i] = data.get(i).attribute(attribute);
      by[i] = data.get(i).attribute(thresholdBy);
    }
    List<List<String>> out = new ArrayList<>();
    int[] y = new int[data.size()];
    double[] s = new double[data.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = data.get(i).target(l);
      s[i] = data.get(i).score(l);
    }
    Map<String, Double> thresholds = GroupThresholds.choose(y, s, group, rule);
    double[] perRow = GroupThresholds.perRow(thresholds, by);
    for (String g : new TreeSet<>(thresholds.keySet())) {
      List<Integer> idx = new ArrayList<>();
      for (int i = 0; i < group.length; i++) {
        if (g.equals(group[i])) {
          idx.add(i);
        }
      }
      int[] gy = idx.stream().mapToInt(i -> y[i]).toArray();
      double[] gs = idx.stream().mapToDouble(i -> s[i]).toArray();
      double[] gt = idx.stream().mapToDouble(i -> perRow[i]).toArray();
      ConfusionCounts c = GroupThresholds.counts(gy, gs, gt);
      out.add(List.of(label, attributeName, g, Double.toString(thresholds.get(g)),
          Long.toString((long) c.n()), Long.toString((long) c.positives()), Long.toString((long) c.negatives()),
          Double.toString(c.tpr()), Double.toString(c.fpr()), thresholdByName));
    }
    return out;
  }

  static void write(ResourceId file, List<List<String>> rows) throws IOException {
    try (BufferedWriter w = Resources.writer(file); CsvWriter csv = new CsvWriter(w)) {
      csv.writeRow(HEADER);
      for (List<String> r : rows) {
        csv.writeRow(r);
      }
    }
  }
}
