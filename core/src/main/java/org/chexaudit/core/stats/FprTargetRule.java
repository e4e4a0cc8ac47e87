package org.chexaudit.core.stats;

/**
 * chexploration's rule: the ROC threshold whose FPR is closest to a target,
 * {@code thresholds[argmin |fpr - target|]} with the first index winning ties (numpy argmin), on
 * sklearn's ROC with {@code drop_intermediate=True} unless configured otherwise.
 */
public final class FprTargetRule implements ThresholdRule {
  public static final double DEFAULT_TARGET = 0.2;
  private static final long serialVersionUID = 1L;

  private final double target;
  private final boolean dropIntermediate;

  private FprTargetRule(double target, boolean dropIntermediate) {
    if (!(target >= 0 && target <= 1)) {
      throw new IllegalArgumentException("FprTargetRule: target must be in [0, 1], got " + target);
    }
    this.target = target;
    this.dropIntermediate = dropIntermediate;
  }

  public static FprTargetRule of(double target) {
    return new FprTargetRule(target, true);
  }

  /** The same rule on the ROC with or without sklearn's intermediate-point dropping. */
  public FprTargetRule withDropIntermediate(boolean drop) {
    return new FprTargetRule(target, drop);
  }

  public double target() {
    return target;
  }

  /** Index into {@code roc}'s arrays of the point the rule picks. */
  public int index(RocCurve roc) {
    int best = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int i = 0; i < roc.size(); i++) {
      double d = Math.abs(roc.fprAt(i) - target);
      if (d < bestDistance) { // NaN never wins; strict: first index among ties
        bestDistance = d;
        best = i;
      }
    }
    return best;
  }

  @Override
  public double choose(BinaryCurve curve) {
    RocCurve roc = RocCurve.of(curve, dropIntermediate);
    return roc.thresholdAt(index(roc));
  }

  @Override
  public CurvePointRule pointRule() {
    double t = target;
    // the closest FPR has the largest value
    return CurvePointRule.of(dropIntermediate ? CurvePointRule.Points.ROC_DROPPED : CurvePointRule.Points.ROC_ALL,
        false, (tp, fp, positives, negatives) -> -Math.abs(fp / negatives - t));
  }

  @Override
  public String describe() {
    return "fpr:" + target + (dropIntermediate ? "" : " (all ROC points)");
  }
}
