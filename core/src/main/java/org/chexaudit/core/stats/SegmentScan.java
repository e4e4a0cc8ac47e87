package org.chexaudit.core.stats;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One score segment of a curve read with its {@link SegmentOffsets}: its share of the average
 * precision, the best point of a {@link CurvePointRule} within it, and the plotted ROC points that fall
 * in it. {@link #combine} joins the segments of one curve into the whole curve's figures, equal to
 * {@link AveragePrecision}, the rule's {@link ThresholdRule#choose} and an evenly thinned
 * {@link RocCurve} on the whole histogram.
 */
public final class SegmentScan implements Serializable {
  private static final long serialVersionUID = 1L;
  private final long positives;
  private final long negatives;
  private final double ap;
  private final boolean hasBest;
  private final double bestValue;
  private final double bestThreshold;
  private final double[] rocFpr;
  private final double[] rocTpr;

  private SegmentScan(long positives, long negatives, double ap, boolean hasBest, double bestValue,
      double bestThreshold, double[] rocFpr, double[] rocTpr) {
    this.positives = positives;
    this.negatives = negatives;
    this.ap = ap;
    this.hasBest = hasBest;
    this.bestValue = bestValue;
    this.bestThreshold = bestThreshold;
    this.rocFpr = rocFpr;
    this.rocTpr = rocTpr;
  }

  /**
   * Scans segment histogram {@code h} (ascending scores) at offsets {@code o}; {@code rule} may be null
   * (no threshold wanted); ROC points are every {@code step}-th of the whole curve's ROC, or none with
   * {@code maxRocPoints} 0.
   */
  public static SegmentScan of(ScoreHistogram h, SegmentOffsets o, CurvePointRule rule, int maxRocPoints) {
    double[] s = h.scores();
    int k = s.length;
    double positives = o.positives;
    double negatives = o.negatives;
    boolean roc = maxRocPoints > 0 && o.positives > 0 && o.negatives > 0;
    long step = rocStep(o.keptTotal, maxRocPoints);
    List<Double> fpr = new ArrayList<>();
    List<Double> tpr = new ArrayList<>();
    double tp = o.tpAbove;
    double fp = o.fpAbove;
    double ap = 0;
    double previousRecall = tp / positives;
    boolean hasBest = false;
    double best = Double.NEGATIVE_INFINITY;
    double bestThreshold = Double.NaN;
    long kept = o.keptAbove;
    for (int j = k - 1; j >= 0; j--) {
      tp += h.positivesAt(j);
      fp += h.negativesAt(j);
      if (o.positives > 0) { // as AveragePrecision: recall grows from point to point
        double recall = tp / positives;
        ap += (recall - previousRecall) * (tp / (tp + fp));
        previousRecall = recall;
      }
      boolean isKept = keptPoint(o, h, j, k);
      if (rule != null && (isKept || rule.points() != CurvePointRule.Points.ROC_DROPPED)) {
        double v = rule.value(tp, fp, positives, negatives);
        if (v > best || (rule.lowestWinsTies() && v == best)) {
          best = v;
          bestThreshold = s[j];
          hasBest = true;
        }
      }
      if (isKept) {
        kept++;
        if (roc && kept % step == 0) {
          fpr.add(fp / negatives);
          tpr.add(tp / positives);
        }
      }
    }
    return new SegmentScan(o.positives, o.negatives, o.positives > 0 ? ap : Double.NaN, hasBest, best, bestThreshold, toArray(fpr),
        toArray(tpr));
  }

  /** Whether the point at ascending index {@code j} survives sklearn's intermediate-point dropping. */
  private static boolean keptPoint(SegmentOffsets o, ScoreHistogram h, int j, int k) {
    if (j == k - 1 && o.first) {
      return true;
    }
    if (j > 0) { // the next point, in descending order, is in this segment
      return h.positivesAt(j) != h.positivesAt(j - 1) || h.negativesAt(j) != h.negativesAt(j - 1);
    }
    return o.last || h.positivesAt(0) != o.nextTopPositives || h.negativesAt(0) != o.nextTopNegatives;
  }

  static long rocStep(long keptTotal, int maxRocPoints) {
    return maxRocPoints <= 0 ? 1 : Math.max(1, (long) Math.ceil((keptTotal + 1) / (double) maxRocPoints));
  }

  public long positives() {
    return positives;
  }

  public long negatives() {
    return negatives;
  }

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * The whole curve from its segments' scans, highest scores first: average precision (NaN without
   * positives), the rule's threshold (NaN with a null rule), and the thinned ROC.
   */
  public static Result combine(List<SegmentScan> highestFirst, CurvePointRule rule) {
    if (highestFirst.isEmpty()) {
      throw new IllegalArgumentException("SegmentScan: no segments");
    }
    long positives = highestFirst.get(0).positives;
    long negatives = highestFirst.get(0).negatives;
    double ap = positives > 0 ? 0 : Double.NaN;
    List<Double> fpr = new ArrayList<>();
    List<Double> tpr = new ArrayList<>();
    boolean roc = positives > 0 && negatives > 0;
    if (roc) {
      fpr.add(0.0); // the leading point at threshold +inf
      tpr.add(0.0);
    }
    double best = Double.NEGATIVE_INFINITY;
    double threshold = Double.NaN;
    boolean found = false;
    if (rule != null && rule.points() != CurvePointRule.Points.PRECISION_RECALL) {
      threshold = Double.POSITIVE_INFINITY; // numpy's index 0 when no point has a value
      found = true;
      double v = rule.value(0, 0, positives, negatives);
      if (v > best) {
        best = v;
      }
    }
    for (SegmentScan scan : highestFirst) {
      ap += scan.ap;
      for (int i = 0; i < scan.rocFpr.length; i++) {
        fpr.add(scan.rocFpr[i]);
        tpr.add(scan.rocTpr[i]);
      }
      if (rule != null && scan.hasBest
          && (scan.bestValue > best || (rule.lowestWinsTies() && scan.bestValue == best))) {
        best = scan.bestValue;
        threshold = scan.bestThreshold;
        found = true;
      }
    }
    if (rule != null && !found) {
      throw new IllegalArgumentException("no threshold reaches the rule's best value (every value is NaN)");
    }
    if (roc) {
      fpr.add(1.0);
      tpr.add(1.0);
    }
    return new Result(positives, negatives, ap, threshold, toArray(fpr), toArray(tpr));
  }

  /** The whole curve's class totals, average precision, chosen threshold (NaN without a rule) and thinned ROC. */
  public record Result(long positives, long negatives, double averagePrecision, double threshold, double[] rocFpr,
      double[] rocTpr) implements Serializable {
    @Override
    public boolean equals(Object o) {
      return o instanceof Result r && positives == r.positives && negatives == r.negatives
          && Double.compare(averagePrecision, r.averagePrecision) == 0
          && Double.compare(threshold, r.threshold) == 0 && Arrays.equals(rocFpr, r.rocFpr)
          && Arrays.equals(rocTpr, r.rocTpr);
    }

    @Override
    public int hashCode() {
      return Double.hashCode(averagePrecision) * 31 + Double.hashCode(threshold);
    }
  }
}
