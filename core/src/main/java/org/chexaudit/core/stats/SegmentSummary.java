package org.chexaudit.core.stats;

import java.io.Serializable;

/**
 * What the rest of a curve needs to know about one score segment of it (a {@link ScoreHistogram} of
 * the scores in one segment of {@link ScoreSegments}): its class counts, the Mann-Whitney count within
 * it, the counts at its highest and lowest score (sklearn's intermediate-point dropping looks one point
 * ahead, across segment edges), how many of its points bend the ROC, and its calibration bin sums.
 * {@link SegmentedCurve#walk} turns the summaries of a curve's segments into the whole curve's totals
 * and each segment's {@link SegmentOffsets}.
 */
public final class SegmentSummary implements Serializable {
  private static final long serialVersionUID = 1L;
  final int size;
  final long positives;
  final long negatives;
  /** Twice the Mann-Whitney U of the segment alone: positive above negative 2, tie 1. */
  final long u2;
  final long topPositives;
  final long topNegatives;
  final long bottomPositives;
  final long bottomNegatives;
  /** Points, highest score first, except the lowest, whose counts differ from the next point's. */
  final int bends;
  /** Whether the highest point's counts differ from the second's (false with one point). */
  final boolean bendAtTop;
  /** Calibration sums per bin (score x count, positives, count); null when a score is outside [0, 1]. */
  final double[] binScoreSums;
  final long[] binPositives;
  final long[] binCounts;

  private SegmentSummary(int size, long positives, long negatives, long u2, long topPositives, long topNegatives,
      long bottomPositives, long bottomNegatives, int bends, boolean bendAtTop, double[] binScoreSums,
      long[] binPositives, long[] binCounts) {
    this.size = size;
    this.positives = positives;
    this.negatives = negatives;
    this.u2 = u2;
    this.topPositives = topPositives;
    this.topNegatives = topNegatives;
    this.bottomPositives = bottomPositives;
    this.bottomNegatives = bottomNegatives;
    this.bends = bends;
    this.bendAtTop = bendAtTop;
    this.binScoreSums = binScoreSums;
    this.binPositives = binPositives;
    this.binCounts = binCounts;
  }

  /** The summary of a non-empty segment histogram, with {@code calibrationBins} equal-width bins (0: none). */
  public static SegmentSummary of(ScoreHistogram h, int calibrationBins) {
    int k = h.size();
    if (k == 0) {
      throw new IllegalArgumentException("SegmentSummary: empty histogram");
    }
    double[] s = h.scores();
    long pos = 0;
    long neg = 0;
    long u2 = 0;
    int bends = 0;
    for (int j = k - 1; j >= 0; j--) { // highest score first
      long pj = h.positivesAt(j);
      long nj = h.negativesAt(j);
      u2 += nj * (2 * pos + pj);
      pos += pj;
      neg += nj;
      if (j > 0 && (pj != h.positivesAt(j - 1) || nj != h.negativesAt(j - 1))) {
        bends++;
      }
    }
    boolean bendAtTop = k > 1
        && (h.positivesAt(k - 1) != h.positivesAt(k - 2) || h.negativesAt(k - 1) != h.negativesAt(k - 2));
    double[] sums = null;
    long[] binPos = null;
    long[] binCount = null;
    if (calibrationBins > 0 && s[0] >= 0 && s[k - 1] <= 1) {
      sums = new double[calibrationBins];
      binPos = new long[calibrationBins];
      binCount = new long[calibrationBins];
      for (int i = 0; i < k; i++) { // ascending, as Calibration.ofCounts
        int b = Calibration.bin(s[i], calibrationBins);
        long pi = h.positivesAt(i);
        long c = pi + h.negativesAt(i);
        sums[b] += s[i] * c;
        binPos[b] += pi;
        binCount[b] += c;
      }
    }
    return new SegmentSummary(k, pos, neg, u2, h.positivesAt(k - 1), h.negativesAt(k - 1), h.positivesAt(0),
        h.negativesAt(0), bends, bendAtTop, sums, binPos, binCount);
  }

  public long positives() {
    return positives;
  }

  public long negatives() {
    return negatives;
  }
}
