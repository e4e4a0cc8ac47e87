package org.chexaudit.core.stats;

/**
 * CheXclusion's rule (spec B5): on {@code precision_recall_curve}, F1 = 2pr/(p+r), keep the first
 * (lowest) threshold among those reaching the maximum. NaN F1 (p+r = 0) never wins, as with
 * Python's builtin {@code max}. The final (precision 1, recall 0) point has no threshold.
 */
public final class MaxF1Rule implements ThresholdRule {
  private static final long serialVersionUID = 1L;

  private MaxF1Rule() {}

  public static MaxF1Rule create() {
    return new MaxF1Rule();
  }

  @Override
  public double choose(BinaryCurve curve) {
    PrecisionRecallCurve pr = PrecisionRecallCurve.of(curve);
    double[] f1 = pr.f1();
    double[] t = pr.thresholds();
    if (t.length == 0) {
      throw new IllegalArgumentException("MaxF1Rule: empty sample, no threshold to choose");
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double f : f1) {
      if (f > max) {
        max = f;
      }
    }
    for (int i = 0; i < t.length; i++) {
      if (f1[i] == max) {
        return t[i];
      }
    }
    // Only the threshold-less end point reached the maximum (all F1 of real thresholds NaN or lower).
    throw new IllegalArgumentException("MaxF1Rule: no threshold reaches the maximum F1 " + max);
  }

  @Override
  public CurvePointRule pointRule() {
    return CurvePointRule.of(CurvePointRule.Points.PRECISION_RECALL, true, (tp, fp, positives, negatives) -> {
      // as PrecisionRecallCurve and its f1()
      double predicted = tp + fp;
      double p = predicted != 0 ? tp / predicted : 0;
      double r = positives == 0 ? 1 : tp / positives;
      return 2 * p * r / (p + r);
    });
  }

  @Override
  public String describe() {
    return "maxf1";
  }
}
