package org.chexaudit.core.stats;

/**
 * scikit-learn's {@code average_precision_score} for one binary label: the step-wise area under the
 * precision-recall curve, AP = Σ (R_n − R_{n−1}) · P_n over thresholds from high to low, with no
 * interpolation. NaN when the sample has no positives (sklearn 1.2 warns and returns 0 there; the
 * score is undefined, so it is reported as missing rather than as a perfect miss).
 */
public final class AveragePrecision {
  private AveragePrecision() {}

  public static double of(int[] y, double[] s) {
    return of(BinaryCurve.of(y, s));
  }

  public static double of(BinaryCurve curve) {
    double positives = curve.positives();
    if (positives == 0) {
      return Double.NaN;
    }
    double ap = 0;
    double previousRecall = 0;
    for (int i = 0; i < curve.size(); i++) { // thresholds descending: recall grows
      double tp = curve.tp(i);
      double recall = tp / positives;
      double precision = tp / (tp + curve.fp(i));
      ap += (recall - previousRecall) * precision;
      previousRecall = recall;
    }
    return ap;
  }
}
