package org.chexaudit.core.stats;

import java.util.Arrays;

/**
 * A receiver operating characteristic curve exactly as scikit-learn's {@code roc_curve}.
 *
 * <p>{@code thresholds[0]} is {@code +Infinity}, as in scikit-learn >= 1.3 (older versions used
 * {@code max(score) + 1}); either way no sample is predicted positive there, so every rate read
 * at index 0 is the same. With {@code dropIntermediate} (sklearn's default) points that are
 * collinear with their neighbours are dropped; this changes which threshold an "FPR closest to
 * x" rule picks (spec E2), so it is a parameter of {@link FprTargetRule}.
 *
 * <p>When the sample has no negatives (or no positives) the FPR (TPR) array is all NaN, as
 * sklearn's (which warns).
 */
public final class RocCurve {
  private final double[] fpr;
  private final double[] tpr;
  private final double[] thresholds;

  private RocCurve(double[] fpr, double[] tpr, double[] thresholds) {
    this.fpr = fpr;
    this.tpr = tpr;
    this.thresholds = thresholds;
  }

  /** {@code roc_curve(y, s, drop_intermediate=dropIntermediate)}. */
  public static RocCurve of(int[] y, double[] s, boolean dropIntermediate) {
    return of(BinaryCurve.of(y, s), dropIntermediate);
  }

  /** {@code roc_curve(y, s)} with sklearn's default {@code drop_intermediate=True}. */
  public static RocCurve of(int[] y, double[] s) {
    return of(y, s, true);
  }

  /** The ROC curve of a precomputed {@link BinaryCurve}. */
  public static RocCurve of(BinaryCurve curve, boolean dropIntermediate) {
    int m = curve.size();
    int[] keep = new int[m];
    int k = 0;
    for (int i = 0; i < m; i++) {
      // sklearn keeps the ends and every point where the second difference of fps or tps is non-zero.
      if (!dropIntermediate || m <= 2 || i == 0 || i == m - 1 || bends(curve, i)) {
        keep[k++] = i;
      }
    }
    double[] fpr = new double[k + 1];
    double[] tpr = new double[k + 1];
    double[] thr = new double[k + 1];
    double negatives = curve.negatives();
    double positives = curve.positives();
    thr[0] = Double.POSITIVE_INFINITY;
    fpr[0] = negatives > 0 ? 0 : Double.NaN;
    tpr[0] = positives > 0 ? 0 : Double.NaN;
    for (int j = 0; j < k; j++) {
      int i = keep[j];
      thr[j + 1] = curve.threshold(i);
      fpr[j + 1] = negatives > 0 ? curve.fp(i) / negatives : Double.NaN;
      tpr[j + 1] = positives > 0 ? curve.tp(i) / positives : Double.NaN;
    }
    return new RocCurve(fpr, tpr, thr);
  }

  private static boolean bends(BinaryCurve c, int i) {
    double dFp = c.fp(i + 1) - 2 * c.fp(i) + c.fp(i - 1);
    double dTp = c.tp(i + 1) - 2 * c.tp(i) + c.tp(i - 1);
    return dFp != 0 || dTp != 0;
  }

  /**
   * {@code roc_auc_score(y, s)}: trapezoidal area under the curve. NaN when the sample lacks
   * positives or negatives (sklearn raises {@code ValueError} there).
   */
  public static double auc(int[] y, double[] s) {
    return auc(BinaryCurve.of(y, s));
  }

  /**
   * Area under the ROC of a precomputed curve; NaN without both classes. Computed as the Mann-Whitney
   * count (twice U: a positive above a negative counts 2, a tie 1), exact in doubles for counts below
   * 2^53, divided once: the trapezoidal area sklearn computes, without its rounding, and the same value
   * {@link SegmentedCurve#auc} gets from a curve split into segments.
   */
  public static double auc(BinaryCurve curve) {
    double positives = curve.positives();
    double negatives = curve.negatives();
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    double u2 = 0;
    double tpAbove = 0;
    double fpAbove = 0;
    for (int i = 0; i < curve.size(); i++) {
      double p = curve.tp(i) - tpAbove;
      double n = curve.fp(i) - fpAbove;
      u2 += n * (2 * tpAbove + p);
      tpAbove = curve.tp(i);
      fpAbove = curve.fp(i);
    }
    return u2 / (2.0 * positives * negatives);
  }

  /** {@code sklearn.metrics.auc(fpr, tpr)}: trapezoidal rule (numpy trapz) over this curve. */
  public double area() {
    double sum = 0;
    for (int i = 1; i < fpr.length; i++) {
      sum += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2.0;
    }
    return sum;
  }

  /** Labels for a one-vs-rest curve: 1 where {@code target == positiveClass}, else 0. */
  public static int[] oneVsRest(int[] target, int positiveClass) {
    int[] y = new int[target.length];
    for (int i = 0; i < target.length; i++) {
      y[i] = target[i] == positiveClass ? 1 : 0;
    }
    return y;
  }

  public double[] fpr() {
    return fpr.clone();
  }

  public double[] tpr() {
    return tpr.clone();
  }

  public double[] thresholds() {
    return thresholds.clone();
  }

  public int size() {
    return fpr.length;
  }

  double fprAt(int i) {
    return fpr[i];
  }

  double tprAt(int i) {
    return tpr[i];
  }

  double thresholdAt(int i) {
    return thresholds[i];
  }

  @Override
  public String toString() {
    return "RocCurve{fpr=" + Arrays.toString(fpr) + ", tpr=" + Arrays.toString(tpr)
        + ", thresholds=" + Arrays.toString(thresholds) + "}";
  }
}
