package org.chexaudit.core.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-group thresholds (early chexploration, spec A7.1): a threshold is chosen by a rule on each
 * true group's own data, and each row is thresholded at the threshold of a group column, which is
 * either the true group or the group another model predicts for the row.
 */
public final class GroupThresholds {
  private GroupThresholds() {}

  /** The rule's threshold for each distinct value of {@code group}, chosen on that group's rows. */
  public static Map<String, Double> choose(int[] y, double[] s, String[] group, ThresholdRule rule) {
    BinaryCurve.checkLengths(y, s);
    Map<String, List<Integer>> rows = new LinkedHashMap<>();
    for (int i = 0; i < group.length; i++) {
      rows.computeIfAbsent(group[i], g -> new ArrayList<>()).add(i);
    }
    Map<String, Double> thresholds = new LinkedHashMap<>();
    for (Map.Entry<String, List<Integer>> e : rows.entrySet()) {
      List<Integer> idx = e.getValue();
      int[] gy = new int[idx.size()];
      double[] gs = new double[idx.size()];
      for (int k = 0; k < idx.size(); k++) {
        gy[k] = y[idx.get(k)];
        gs[k] = s[idx.get(k)];
      }
      thresholds.put(e.getKey(), rule.choose(gy, gs));
    }
    return thresholds;
  }

  /** Each row's threshold: that of its {@code thresholdGroup} value (true or predicted group). */
  public static double[] perRow(Map<String, Double> thresholds, String[] thresholdGroup) {
    double[] t = new double[thresholdGroup.length];
    for (int i = 0; i < t.length; i++) {
      Double v = thresholds.get(thresholdGroup[i]);
      if (v == null) {
        throw new IllegalArgumentException("row " + i + ": no threshold for group '" + thresholdGroup[i]
            + "'; groups with thresholds: " + thresholds.keySet());
      }
      t[i] = v;
    }
    return t;
  }

  /** Confusion counts of {@code s[i] >= threshold[i]}. */
  public static ConfusionCounts counts(int[] y, double[] s, double[] threshold) {
    double tp = 0, fp = 0, fn = 0, tn = 0;
    for (int i = 0; i < y.length; i++) {
      boolean predicted = s[i] >= threshold[i];
      if (y[i] == 1) {
        if (predicted) tp++; else fn++;
      } else {
        if (predicted) fp++; else tn++;
      }
    }
    return new ConfusionCounts(tp, fp, fn, tn);
  }
}
