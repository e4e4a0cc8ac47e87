package org.chexaudit.core.stats;

/**
 * scikit-learn's {@code precision_recall_curve} (1.2 layout): thresholds ascending; precision
 * and recall have one more element, the final point (precision 1, recall 0). Recall is all 1
 * when there are no positives, as sklearn's.
 */
public final class PrecisionRecallCurve {
  private final double[] precision;
  private final double[] recall;
  private final double[] thresholds;

  private PrecisionRecallCurve(double[] precision, double[] recall, double[] thresholds) {
    this.precision = precision;
    this.recall = recall;
    this.thresholds = thresholds;
  }

  public static PrecisionRecallCurve of(int[] y, double[] s) {
    return of(BinaryCurve.of(y, s));
  }

  public static PrecisionRecallCurve of(BinaryCurve curve) {
    int m = curve.size();
    double[] p = new double[m + 1];
    double[] r = new double[m + 1];
    double[] t = new double[m];
    double positives = curve.positives();
    for (int i = 0; i < m; i++) {
      int j = m - 1 - i; // reversed: ascending thresholds
      double tp = curve.tp(j);
      double predicted = tp + curve.fp(j);
      p[i] = predicted != 0 ? tp / predicted : 0;
      r[i] = positives == 0 ? 1 : tp / positives;
      t[i] = curve.threshold(j);
    }
    p[m] = 1;
    r[m] = 0;
    return new PrecisionRecallCurve(p, r, t);
  }

  public double[] precision() {
    return precision.clone();
  }

  public double[] recall() {
    return recall.clone();
  }

  public double[] thresholds() {
    return thresholds.clone();
  }

  /** F1 per point as CheXclusion computes it: {@code 2*p*r/(p+r)}, NaN where p+r == 0. */
  public double[] f1() {
    double[] f = new double[precision.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = 2 * precision[i] * recall[i] / (precision[i] + recall[i]);
    }
    return f;
  }
}
