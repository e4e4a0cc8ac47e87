package org.chexaudit.core.stats;

import java.io.Serializable;

/**
 * A {@link ThresholdRule} as the best point of a curve walked from the highest score down: a value
 * per point to maximise and a tie rule. A curve split into score segments can then be searched one
 * segment at a time and the segments' best points compared ({@link SegmentScan}), giving the point
 * the rule picks on the whole curve.
 */
public interface CurvePointRule extends Serializable {

  /** Which points of the curve are candidates. */
  enum Points {
    /** sklearn's {@code roc_curve} (drop_intermediate=True), with its leading point at threshold +inf. */
    ROC_DROPPED,
    /** Every distinct score, with the leading ROC point at threshold +inf. */
    ROC_ALL,
    /** Every distinct score of {@code precision_recall_curve}; no point at +inf. */
    PRECISION_RECALL
  }

  Points points();

  /**
   * The value at a point with {@code tp} true and {@code fp} false positives out of {@code positives}
   * and {@code negatives}, computed as the whole-curve rule computes it; NaN never wins.
   */
  double value(double tp, double fp, double positives, double negatives);

  /** Among equal values the lowest threshold wins (else the highest: numpy's first index). */
  boolean lowestWinsTies();

  /** A point's value from its counts, as {@link #value}. */
  @FunctionalInterface
  interface PointValue extends Serializable {
    double at(double tp, double fp, double positives, double negatives);
  }

  /** The rule whose candidates are {@code points}, valued by {@code value}. */
  static CurvePointRule of(Points points, boolean lowestWinsTies, PointValue value) {
    return new Of(points, lowestWinsTies, value);
  }

  /** {@link #of}'s rule. */
  record Of(Points points, boolean lowestWinsTies, PointValue pointValue) implements CurvePointRule {
    @Override
    public double value(double tp, double fp, double positives, double negatives) {
      return pointValue.at(tp, fp, positives, negatives);
    }
  }
}
