package org.chexaudit.core.stats;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Expected values from scikit-learn 1.2.1 (Debian python3), e.g.
 * {@code roc_curve(y, s, drop_intermediate=d)}, {@code roc_auc_score(y, s)}; thresholds[0] there is
 * max+1, here +Infinity (sklearn >= 1.3).
 */
class RocCurveTest {
  private static final double EPS = 1e-12;

  @Test
  void goldenRocWithDropIntermediate() {
    RocCurve roc = RocCurve.of(Golden.Y, Golden.S);
    assertArrayEquals(new double[] {0, 0, 0, 2 / 13.0, 2 / 13.0, 5 / 13.0, 5 / 13.0, 1}, roc.fpr(), EPS);
    assertArrayEquals(new double[] {0, 1 / 7.0, 5 / 7.0, 5 / 7.0, 6 / 7.0, 6 / 7.0, 1, 1}, roc.tpr(), EPS);
    assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 0.95, 0.65, 0.60, 0.55, 0.40, 0.35, 0.05},
        roc.thresholds(), 0);
  }

  @Test
  void goldenRocWithoutDropIntermediateKeepsEveryDistinctScore() {
    RocCurve roc = RocCurve.of(Golden.Y, Golden.S, false);
    assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 0.95, 0.9, 0.8, 0.7, 0.65, 0.6, 0.55, 0.5,
        0.45, 0.4, 0.35, 0.33, 0.3, 0.25, 0.2, 0.15, 0.12, 0.1, 0.05}, roc.thresholds(), 0);
    assertArrayEquals(new double[] {0, 1 / 7.0, 2 / 7.0, 3 / 7.0, 4 / 7.0, 5 / 7.0, 5 / 7.0, 6 / 7.0, 6 / 7.0,
        6 / 7.0, 6 / 7.0, 1, 1, 1, 1, 1, 1, 1, 1, 1}, roc.tpr(), EPS);
    assertThat(roc.fpr()[8], closeTo(3 / 13.0, EPS));
  }

  @Test
  void goldenAuc() {
    assertThat(RocCurve.auc(Golden.Y, Golden.S), closeTo(0.9230769230769231, EPS));
  }

  @Test
  void tiedScoresFormOnePoint() {
    // roc_curve(yt, st): fpr [0,1/6,1/3,1/2,5/6,1], tpr [0,1/3,1/3,2/3,1,1], thr [inf,.9,.7,.5,.2,.1]
    RocCurve roc = RocCurve.of(Golden.YT, Golden.ST);
    assertArrayEquals(new double[] {0, 1 / 6.0, 1 / 3.0, 0.5, 5 / 6.0, 1}, roc.fpr(), EPS);
    assertArrayEquals(new double[] {0, 1 / 3.0, 1 / 3.0, 2 / 3.0, 1, 1}, roc.tpr(), EPS);
    assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 0.9, 0.7, 0.5, 0.2, 0.1}, roc.thresholds(), 0);
    // drop_intermediate=False keeps the collinear point at 0.3
    assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 0.9, 0.7, 0.5, 0.3, 0.2, 0.1},
        RocCurve.of(Golden.YT, Golden.ST, false).thresholds(), 0);
    assertThat(RocCurve.auc(Golden.YT, Golden.ST), closeTo(0.6111111111111112, EPS));
  }

  @Test
  void aucIsNaNWhenAClassIsMissing() {
    assertThat(Double.isNaN(RocCurve.auc(new int[] {0, 0, 0}, new double[] {0.1, 0.5, 0.9})), is(true));
    assertThat(Double.isNaN(RocCurve.auc(new int[] {1, 1}, new double[] {0.1, 0.5})), is(true));
    RocCurve allNegative = RocCurve.of(new int[] {0, 0}, new double[] {0.1, 0.5});
    assertThat(Double.isNaN(allNegative.tpr()[1]), is(true));
  }

  @Test
  void oneVsRestForMultiClassTargets() {
    // roc_auc_score(tc == 1, sc) = 0.5952380952380952
    int[] target = {0, 1, 2, 0, 2, 1, 0, 0, 2, 1};
    double[] score = {0.2, 0.7, 0.1, 0.6, 0.9, 0.4, 0.3, 0.5, 0.8, 0.6};
    int[] y = RocCurve.oneVsRest(target, 1);
    assertArrayEquals(new int[] {0, 1, 0, 0, 0, 1, 0, 0, 0, 1}, y);
    assertThat(RocCurve.auc(y, score), closeTo(0.5952380952380952, EPS));
  }

  @Test
  void weightedCurveEqualsMaterialisedReplicate() {
    int[] w = {2, 0, 1, 3, 1, 0, 1, 2, 1, 1, 0, 2, 1, 1, 1, 0, 1, 2, 1, 1};
    int total = java.util.Arrays.stream(w).sum();
    int[] y = new int[total];
    double[] s = new double[total];
    int k = 0;
    for (int i = 0; i < w.length; i++) {
      for (int c = 0; c < w[i]; c++) {
        y[k] = Golden.Y[i];
        s[k++] = Golden.S[i];
      }
    }
    BinaryCurve weighted = BinaryCurve.ofSorted(Golden.Y, Golden.S, BinaryCurve.descendingOrder(Golden.S), w);
    RocCurve a = RocCurve.of(weighted, true);
    RocCurve b = RocCurve.of(y, s);
    assertArrayEquals(b.thresholds(), a.thresholds(), 0);
    assertArrayEquals(b.fpr(), a.fpr(), 0);
    assertArrayEquals(b.tpr(), a.tpr(), 0);
  }

  @Test
  void rejectsLabelsOtherThanZeroOne() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RocCurve.of(new int[] {0, 2}, new double[] {0.1, 0.2}));
    assertThat(e.getMessage(), is("label at index 1 is 2, expected 0 or 1"));
  }
}
