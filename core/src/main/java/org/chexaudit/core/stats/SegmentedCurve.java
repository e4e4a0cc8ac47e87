package org.chexaudit.core.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A labelled score sample whose exact histogram is split into score segments (see
 * {@link ScoreSegments}): the whole-curve figures that follow from the segments' summaries alone,
 * and the offsets each segment needs to be scanned on its own ({@link SegmentScan}).
 *
 * <p>AUC is the Mann-Whitney count, twice U summed exactly in integers over the segments (each
 * segment's own count plus its negatives times the positives above it), divided once; it equals
 * sklearn's trapezoidal {@code roc_auc_score} to rounding. Calibration adds the segments' bin sums.
 */
public final class SegmentedCurve implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private final List<SegmentOffsets> offsets;
  private final long positives;
  private final long negatives;
  private final double auc;
  private final Calibration calibration;
  private final long keptTotal;

  private SegmentedCurve(List<SegmentOffsets> offsets, long positives, long negatives, double auc,
      Calibration calibration, long keptTotal) {
    this.offsets = offsets;
    this.positives = positives;
    this.negatives = negatives;
    this.auc = auc;
    this.calibration = calibration;
    this.keptTotal = keptTotal;
  }

  /** Walks the summaries of one curve's segments, highest scores first. */
  public static SegmentedCurve walk(List<SegmentSummary> highestFirst) {
    if (highestFirst.isEmpty()) {
      throw new IllegalArgumentException("SegmentedCurve: no segments");
    }
    long pos = 0;
    long neg = 0;
    for (SegmentSummary s : highestFirst) {
      pos += s.positives;
      neg += s.negatives;
    }
    int m = highestFirst.size();
    long[] kept = new long[m];
    long keptTotal = 0;
    for (int i = 0; i < m; i++) {
      SegmentSummary next = i + 1 < m ? highestFirst.get(i + 1) : null;
      kept[i] = kept(highestFirst.get(i), i == 0, next == null, next == null ? -1 : next.topPositives,
          next == null ? -1 : next.topNegatives);
      keptTotal += kept[i];
    }
    List<SegmentOffsets> offsets = new ArrayList<>(m);
    long tpAbove = 0;
    long fpAbove = 0;
    long keptAbove = 0;
    long u2 = 0;
    for (int i = 0; i < m; i++) {
      SegmentSummary s = highestFirst.get(i);
      SegmentSummary next = i + 1 < m ? highestFirst.get(i + 1) : null;
      offsets.add(new SegmentOffsets(pos, neg, tpAbove, fpAbove, i == 0, next == null,
          next == null ? -1 : next.topPositives, next == null ? -1 : next.topNegatives, keptAbove, keptTotal));
      u2 += s.u2 + 2 * s.negatives * tpAbove;
      tpAbove += s.positives;
      fpAbove += s.negatives;
      keptAbove += kept[i];
    }
    double auc = pos > 0 && neg > 0 ? u2 / (2.0 * pos * neg) : Double.NaN;
    return new SegmentedCurve(List.copyOf(offsets), pos, neg, auc, calibration(highestFirst), keptTotal);
  }

  /** ROC points kept by sklearn's intermediate-point dropping in segment {@code s}. */
  static long kept(SegmentSummary s, boolean first, boolean last, long nextTopPositives, long nextTopNegatives) {
    boolean lastKept = last || s.bottomPositives != nextTopPositives || s.bottomNegatives != nextTopNegatives;
    if (s.size == 1) {
      return first || lastKept ? 1 : 0;
    }
    return s.bends + (first && !s.bendAtTop ? 1 : 0) + (lastKept ? 1 : 0);
  }

  private static Calibration calibration(List<SegmentSummary> highestFirst) {
    int bins = -1;
    for (SegmentSummary s : highestFirst) {
      if (s.binCounts == null) {
        return null;
      }
      bins = s.binCounts.length;
    }
    double[] sums = new double[bins];
    double[] pos = new double[bins];
    long[] counts = new long[bins];
    for (int i = highestFirst.size() - 1; i >= 0; i--) { // ascending scores, as Calibration.ofCounts
      SegmentSummary s = highestFirst.get(i);
      for (int b = 0; b < bins; b++) {
        sums[b] += s.binScoreSums[b];
        pos[b] += s.binPositives[b];
        counts[b] += s.binCounts[b];
      }
    }
    return Calibration.fromBins(sums, pos, counts, Arrays.stream(counts).sum());
  }

  /** Offsets of each segment, in the order walked. */
  public List<SegmentOffsets> offsets() {
    return offsets;
  }

  public long positives() {
    return positives;
  }

  public long negatives() {
    return negatives;
  }

  /** {@code roc_auc_score}; NaN without both classes. */
  public double auc() {
    return auc;
  }

  /** Calibration as {@link ScoreHistogram#calibration}; null when a score is outside [0, 1]. */
  public Calibration calibration() {
    return calibration;
  }

  /** ROC points after intermediate-point dropping, not counting the leading point at +inf. */
  public long rocPoints() {
    return keptTotal;
  }
}
