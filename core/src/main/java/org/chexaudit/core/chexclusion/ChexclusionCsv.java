package org.chexaudit.core.chexclusion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.chexaudit.core.io.CsvWriter;

/**
 * CheXclusion's result files with the original names and columns (spec B5–B7), so its notebooks
 * can read ours. NaN is written as an empty cell, as pandas does. Shares ({@code %<g>}) are
 * fractions, as in the original.
 */
public final class ChexclusionCsv {
  private ChexclusionCsv() {}

  /** {@code Threshold.csv}: {@code label, bestthr}, labels alphabetical as the original's. */
  public static void writeThresholds(Path file, RunEvaluation run) {
    List<List<String>> rows = new ArrayList<>();
    for (LabelScore s : alphabetical(run.scores())) {
      rows.add(List.of(s.label(), num(s.threshold())));
    }
    write(file, List.of("label", "bestthr"), rows);
  }

  /** {@code TestEval.csv} / {@code Eval<run>.csv}: {@code label, auc, auprc}, labels alphabetical. */
  public static void writeEval(Path file, RunEvaluation run) {
    List<List<String>> rows = new ArrayList<>();
    for (LabelScore s : alphabetical(run.scores())) {
      rows.add(List.of(s.label(), num(s.auc()), num(s.auprc())));
    }
    write(file, List.of("label", "auc", "auprc"), rows);
  }

  /**
   * {@code Run<k>_<attr>.csv}: {@code diseases}, then {@code %<g>, Gap_<g>} per group; rows by
   * ascending gap range (max − min over groups, the original's {@code plot_sort_14}), NaN kept in
   * place and rows without any defined gap last.
   */
  public static void writeRunGaps(Path file, RunEvaluation run, String attribute) {
    Map<String, List<GroupGap>> gaps = run.gaps(attribute);
    List<String> groups = groupsOf(gaps);
    List<String> header = new ArrayList<>(List.of("diseases"));
    groups.forEach(g -> {
      header.add("%" + g);
      header.add("Gap_" + g);
    });
    List<String> labels = new ArrayList<>(gaps.keySet());
    labels.sort(Comparator.comparingDouble((String l) -> range(gaps.get(l))));
    List<List<String>> rows = new ArrayList<>();
    for (String label : labels) {
      List<String> row = new ArrayList<>(List.of(label));
      for (GroupGap g : gaps.get(label)) {
        row.add(num(g.share()));
        row.add(num(g.gap()));
      }
      rows.add(row);
    }
    write(file, header, rows);
  }

  /**
   * {@code Run<k>_TPR_<attr>.csv} (as MIMIC's): {@code diseases}, then per group {@code %<g>},
   * {@code P<g>} (positives), {@code TP<g>} (true positives) and {@code TPR_<g>}; labels in model order.
   */
  public static void writeRunTpr(Path file, RunEvaluation run, String attribute) {
    Map<String, List<GroupGap>> gaps = run.gaps(attribute);
    List<String> header = new ArrayList<>(List.of("diseases"));
    groupsOf(gaps).forEach(g -> header.addAll(List.of("%" + g, "P" + g, "TP" + g, "TPR_" + g)));
    List<List<String>> rows = new ArrayList<>();
    for (Map.Entry<String, List<GroupGap>> e : gaps.entrySet()) {
      List<String> row = new ArrayList<>(List.of(e.getKey()));
      for (GroupGap g : e.getValue()) {
        row.addAll(List.of(num(g.share()), Long.toString(g.positives()), Long.toString(g.truePositives()), num(g.tpr())));
      }
      rows.add(row);
    }
    write(file, header, rows);
  }

  /** {@code Want<attr>.csv}: {@code diseases, Distance}, then {@code %<g>, Gap_<g>_mean, CI_<g>}; by Distance. */
  public static void writeMeanDisparity(Path file, MeanDisparity disparity) {
    List<String> header = new ArrayList<>(List.of("diseases", "Distance"));
    disparity.groups().forEach(g -> header.addAll(List.of("%" + g, "Gap_" + g + "_mean", "CI_" + g)));
    List<List<String>> rows = new ArrayList<>();
    for (MeanDisparity.Row r : disparity.rows()) {
      List<String> row = new ArrayList<>(List.of(r.label(), num(r.distance())));
      for (MeanDisparity.GroupMean g : r.groups()) {
        row.addAll(List.of(num(g.share()), num(g.gap()), num(g.ci())));
      }
      rows.add(row);
    }
    write(file, header, rows);
  }

  /** {@code AUC.csv}: per label mean AUC and AUPRC over runs with 1.96·sd/√k, then the row {@code AUC ave}. */
  public static void writeAucSummary(Path file, AucSummary summary, int runs) {
    List<List<String>> rows = new ArrayList<>();
    for (AucSummary.Row r : summary.rows()) {
      rows.add(List.of(r.label(), num(r.auc()), num(r.aucCi()), num(r.auprc()), num(r.auprcCi()), Integer.toString(runs)));
    }
    rows.add(List.of("AUC ave", num(summary.meanAuc()), num(summary.meanAucCi()), "", "", Integer.toString(runs)));
    write(file, List.of("label", "auc_mean", "auc_ci", "auprc_mean", "auprc_ci", "runs"), rows);
  }

  /** {@code SummaryTable.csv}: {@code attribute, average_distance, group, negative, positive}. */
  public static void writeSummary(Path file, List<DisparitySummary> summaries) {
    List<List<String>> rows = new ArrayList<>();
    for (DisparitySummary s : summaries) {
      for (DisparitySummary.GroupCount c : s.counts()) {
        rows.add(List.of(s.attribute(), num(s.averageDistance()), c.group(), Integer.toString(c.negative()),
            Integer.toString(c.positive())));
      }
    }
    write(file, List.of("attribute", "average_distance", "group", "negative", "positive"), rows);
  }

  /** {@code Correlation.csv}: {@code attribute, group, n, r, p, threshold, significant}. */
  public static void writeCorrelations(Path file, List<GapShareCorrelation.Row> rows, double threshold) {
    List<List<String>> out = new ArrayList<>();
    for (GapShareCorrelation.Row r : rows) {
      out.add(List.of(r.attribute(), r.group(), Integer.toString(r.n()), num(r.r()), num(r.p()), num(threshold),
          r.significant() ? "True" : "False"));
    }
    write(file, List.of("attribute", "group", "n", "r", "p", "threshold", "significant"), out);
  }

  private static List<LabelScore> alphabetical(List<LabelScore> scores) {
    List<LabelScore> sorted = new ArrayList<>(scores);
    sorted.sort(Comparator.comparing(LabelScore::label));
    return sorted;
  }

  private static List<String> groupsOf(Map<String, List<GroupGap>> gaps) {
    return gaps.isEmpty() ? List.of() : gaps.values().iterator().next().stream().map(GroupGap::group).toList();
  }

  private static double range(List<GroupGap> gaps) {
    double max = Double.NEGATIVE_INFINITY, min = Double.POSITIVE_INFINITY;
    for (GroupGap g : gaps) {
      if (!Double.isNaN(g.gap())) {
        max = Math.max(max, g.gap());
        min = Math.min(min, g.gap());
      }
    }
    return max == Double.NEGATIVE_INFINITY ? Double.POSITIVE_INFINITY : max - min;
  }

  /** Shortest round-trip decimal; NaN as an empty cell. */
  static String num(double v) {
    return Double.isNaN(v) ? "" : Double.toString(v);
  }

  private static void write(Path file, List<String> header, List<List<String>> rows) {
    try (CsvWriter w = new CsvWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
      w.writeRow(header);
      for (List<String> r : rows) {
        w.writeRow(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
