package org.chexaudit.core.stats;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Performance of one subgroup at one threshold: sizes, AUC ({@code roc_auc_score}), TPR, FPR,
 * precision and Youden's J. Undefined values are NaN and {@link #note()} says why; a subgroup
 * smaller than a minimum size carries only its sizes and the note {@code insufficient data}.
 */
public final class SubgroupStats implements Serializable {
  public static final String INSUFFICIENT_DATA = "insufficient data";
  private static final long serialVersionUID = 1L;

  private final long n;
  private final long positives;
  private final long negatives;
  private final double auc;
  private final double threshold;
  private final ConfusionCounts counts;
  private final String note;

  private SubgroupStats(long n, long positives, long negatives, double auc, double threshold,
      ConfusionCounts counts, String note) {
    this.n = n;
    this.positives = positives;
    this.negatives = negatives;
    this.auc = auc;
    this.threshold = threshold;
    this.counts = counts;
    this.note = note;
  }

  /** Statistics of labels {@code y}, scores {@code s} at {@code threshold}. */
  public static SubgroupStats compute(int[] y, double[] s, double threshold) {
    return compute(BinaryCurve.of(y, s), threshold);
  }

  /** Statistics of a (possibly weighted) sample summarised by {@code curve}. */
  public static SubgroupStats compute(BinaryCurve curve, double threshold) {
    return of(curve, RocCurve.auc(curve), threshold, ConfusionCounts.at(curve, threshold));
  }

  /** Statistics where each row had its own threshold (per-group thresholds): counts given. */
  public static SubgroupStats of(BinaryCurve curve, double auc, double threshold, ConfusionCounts counts) {
    long pos = Math.round(curve.positives());
    long neg = Math.round(curve.negatives());
    List<String> notes = new ArrayList<>();
    if (pos == 0) {
      notes.add("no positives: AUC and TPR undefined");
    }
    if (neg == 0) {
      notes.add("no negatives: AUC and FPR undefined");
    }
    return new SubgroupStats(pos + neg, pos, neg, auc, threshold, counts, String.join("; ", notes));
  }

  /** A subgroup below the minimum size: sizes only. */
  public static SubgroupStats insufficient(long positives, long negatives, double threshold) {
    return new SubgroupStats(positives + negatives, positives, negatives, Double.NaN, threshold,
        null, INSUFFICIENT_DATA);
  }

  public long n() { return n; }
  public long positives() { return positives; }
  public long negatives() { return negatives; }
  public double auc() { return auc; }
  public double threshold() { return threshold; }
  public double tpr() { return counts == null ? Double.NaN : counts.tpr(); }
  public double fpr() { return counts == null ? Double.NaN : counts.fpr(); }
  public double precision() { return counts == null ? Double.NaN : counts.precision(); }
  public double youden() { return counts == null ? Double.NaN : counts.youden(); }
  /** Confusion counts, null for an insufficient-data group. */
  public ConfusionCounts counts() { return counts; }
  /** Empty when every value is defined. */
  public String note() { return note; }
  public boolean isInsufficient() { return counts == null; }
}
