package org.chexaudit.core.stats;

/** Youden's J: the ROC threshold maximising {@code tpr - fpr}, first maximum (numpy argmax). */
public final class YoudenRule implements ThresholdRule {
  private static final long serialVersionUID = 1L;

  private YoudenRule() {}

  public static YoudenRule create() {
    return new YoudenRule();
  }

  /** Index into {@code roc}'s arrays of the Youden point. */
  public int index(RocCurve roc) {
    int best = 0;
    double bestJ = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < roc.size(); i++) {
      double j = roc.tprAt(i) - roc.fprAt(i);
      if (j > bestJ) {
        bestJ = j;
        best = i;
      }
    }
    return best;
  }

  @Override
  public double choose(BinaryCurve curve) {
    RocCurve roc = RocCurve.of(curve, true);
    return roc.thresholdAt(index(roc));
  }

  @Override
  public CurvePointRule pointRule() {
    return CurvePointRule.of(CurvePointRule.Points.ROC_DROPPED, false,
        (tp, fp, positives, negatives) -> tp / positives - fp / negatives);
  }

  @Override
  public String describe() {
    return "youden";
  }
}
