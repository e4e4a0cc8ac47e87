package org.chexaudit.core.stats;

import java.io.Serializable;

/**
 * Confusion counts of {@code score >= threshold} against 0/1 labels, and the rates derived from
 * them. Counts are doubles so weighted (bootstrap) samples use the same code.
 *
 * <p>Undefined rates are NaN: TPR without positives, FPR without negatives, precision without
 * predicted positives. The originals call sklearn {@code recall_score}, which returns 0 there
 * (spec A10), giving TPR 0 or FPR 1; {@link #sklearnTpr()} and {@link #sklearnFpr()} reproduce
 * that for comparisons.
 */
public final class ConfusionCounts implements Serializable {
  private static final long serialVersionUID = 1L;
  private final double tp;
  private final double fp;
  private final double fn;
  private final double tn;

  public ConfusionCounts(double tp, double fp, double fn, double tn) {
    this.tp = tp;
    this.fp = fp;
    this.fn = fn;
    this.tn = tn;
  }

  /** Counts for labels {@code y}, scores {@code s} and one threshold. */
  public static ConfusionCounts at(int[] y, double[] s, double threshold) {
    BinaryCurve.checkLengths(y, s);
    double tp = 0, fp = 0, fn = 0, tn = 0;
    for (int i = 0; i < y.length; i++) {
      boolean predicted = s[i] >= threshold;
      if (y[i] == 1) {
        if (predicted) tp++; else fn++;
      } else {
        if (predicted) fp++; else tn++;
      }
    }
    return new ConfusionCounts(tp, fp, fn, tn);
  }

  /** Counts read off a (possibly weighted) curve: the last point with score >= threshold. */
  public static ConfusionCounts at(BinaryCurve curve, double threshold) {
    double tp = 0, fp = 0;
    for (int i = 0; i < curve.size() && curve.threshold(i) >= threshold; i++) {
      tp = curve.tp(i);
      fp = curve.fp(i);
    }
    return new ConfusionCounts(tp, fp, curve.positives() - tp, curve.negatives() - fp);
  }

  public double tp() { return tp; }
  public double fp() { return fp; }
  public double fn() { return fn; }
  public double tn() { return tn; }
  public double positives() { return tp + fn; }
  public double negatives() { return fp + tn; }
  public double n() { return tp + fp + fn + tn; }

  /** recall(pos_label=1); NaN without positives. */
  public double tpr() {
    return positives() > 0 ? tp / positives() : Double.NaN;
  }

  /** 1 - recall(pos_label=0), computed that way as the originals do; NaN without negatives. */
  public double fpr() {
    return negatives() > 0 ? 1.0 - tn / negatives() : Double.NaN;
  }

  /** tp / (tp + fp); NaN when nothing is predicted positive. */
  public double precision() {
    double predicted = tp + fp;
    return predicted > 0 ? tp / predicted : Double.NaN;
  }

  /** Youden's J = TPR - FPR at this threshold. */
  public double youden() {
    return tpr() - fpr();
  }

  /** What the originals report as TPR: sklearn recall_score, 0 when there are no positives. */
  public double sklearnTpr() {
    return positives() > 0 ? tp / positives() : 0.0;
  }

  /** What the originals report as FPR: 1 - recall_score(pos_label=0), so 1 without negatives. */
  public double sklearnFpr() {
    return 1.0 - (negatives() > 0 ? tn / negatives() : 0.0);
  }
}
