package org.chexaudit.core.stats;

import java.io.Serializable;

/**
 * Where one score segment sits in its whole curve: the curve's class totals, the true and false
 * positives above the segment, whether it is the first or last segment, the counts at the next
 * segment's highest score, and how many ROC points (after sklearn's intermediate-point dropping) lie
 * above it and in the whole curve. From {@link SegmentedCurve#walk}; read by {@link SegmentScan}.
 */
public final class SegmentOffsets implements Serializable {
  private static final long serialVersionUID = 1L;
  final long positives;
  final long negatives;
  final long tpAbove;
  final long fpAbove;
  final boolean first;
  final boolean last;
  final long nextTopPositives;
  final long nextTopNegatives;
  final long keptAbove;
  final long keptTotal;

  SegmentOffsets(long positives, long negatives, long tpAbove, long fpAbove, boolean first, boolean last,
      long nextTopPositives, long nextTopNegatives, long keptAbove, long keptTotal) {
    this.positives = positives;
    this.negatives = negatives;
    this.tpAbove = tpAbove;
    this.fpAbove = fpAbove;
    this.first = first;
    this.last = last;
    this.nextTopPositives = nextTopPositives;
    this.nextTopNegatives = nextTopNegatives;
    this.keptAbove = keptAbove;
    this.keptTotal = keptTotal;
  }

  public long positives() {
    return positives;
  }

  public long negatives() {
    return negatives;
  }
}
