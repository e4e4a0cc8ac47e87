package org.chexaudit.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;

import java.util.ArrayList;
import java.util.List;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.core.stats.ThresholdRule;
import org.junit.jupiter.api.Test;

/**
 * Group-specific thresholds on seeds-spec E2's vectors. Expected values from scikit-learn 1.2.1:
 * per group {@code thr[argmin |fpr - 0.2|]} of {@code roc_curve} gives W 0.60 and, for the tiny groups A
 * and B, the curve's first point (max+1 there, +inf here: no row is positive either way); then
 * TPR/FPR of {@code s >= threshold(row's group)}: W 0.75/0.25, A and B 0/0. With rows 0 and 5 (both W)
 * thresholded as if another model predicted A and B for them, W's TPR drops to 0.5.
 */
class GroupThresholdTableTest {
  static final int[] Y = {0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0};
  static final double[] S = {0.10, 0.40, 0.35, 0.80, 0.20, 0.90, 0.30, 0.60, 0.70, 0.05, 0.55, 0.15, 0.45, 0.65,
      0.25, 0.50, 0.12, 0.95, 0.33, 0.60};
  static final String G = "WWABWWAWBWWABWWWBWAW";

  private static List<ScoredRow> rows() {
    List<ScoredRow> rows = new ArrayList<>();
    for (int i = 0; i < Y.length; i++) {
      String group = String.valueOf(G.charAt(i));
      String predicted = i == 0 ? "A" : i == 5 ? "B" : group;
      rows.add(ScoredRow.of("r" + i, null, new double[] {S[i]}, new int[] {Y[i]}, new String[] {group, predicted}));
    }
    return rows;
  }

  @Test
  void thresholdsPerTrueGroupAsEarlyChexploration() {
    List<List<String>> t = GroupThresholdTable.rows(rows(), 0, "class_0", "race", 0, "race", 0,
        ThresholdRule.parse("fpr:0.2"));
    assertThat(t, hasSize(3));
    assertThat(t.get(0), contains("class_0", "race", "A", "Infinity", "4", "1", "3", "0.0", "0.0", "race"));
    assertThat(t.get(2), contains("class_0", "race", "W", "0.6", "12", "4", "8", "0.75", "0.25", "race"));
  }

  @Test
  void rowsThresholdedByAnotherModelsPredictedGroup() {
    List<List<String>> t = GroupThresholdTable.rows(rows(), 0, "class_0", "race", 0, "predicted_race", 1,
        ThresholdRule.parse("fpr:0.2"));
    assertThat(t.get(2), contains("class_0", "race", "W", "0.6", "12", "4", "8", "0.5", "0.25", "predicted_race"));
  }
}
