package org.chexaudit.core.stats;

import java.util.Map;

/**
 * CheXclusion's aggregation over training runs (spec B7): mean and sample standard deviation
 * (ddof = 1) with NaN values skipped as pandas does, the interval half-width ({@link SeedInterval}),
 * and the Distance of an attribute's mean gaps.
 */
public final class RunAggregate {
  public static final double Z95 = 1.96;

  private RunAggregate() {}

  /** Mean of the defined values; NaN when none. */
  public static double mean(double[] values) {
    double sum = 0;
    int k = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        sum += v;
        k++;
      }
    }
    return k == 0 ? Double.NaN : sum / k;
  }

  /** Sample standard deviation (ddof = 1) of the defined values; NaN with fewer than two. */
  public static double sampleSd(double[] values) {
    double m = mean(values);
    double ss = 0;
    int k = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        ss += (v - m) * (v - m);
        k++;
      }
    }
    return k < 2 ? Double.NaN : Math.sqrt(ss / (k - 1));
  }

  /** The original's half-width, 1.96·sd/√(number of runs): {@link SeedInterval#NORMAL}. */
  public static double ciHalfWidth(double[] values) {
    return SeedInterval.NORMAL.halfWidth(values);
  }

  /** Sex-style Distance: |mean gap of a - mean gap of b|; NaN if either is NaN. */
  public static double distance(double meanGapA, double meanGapB) {
    return Math.abs(meanGapA - meanGapB);
  }

  /** Complement-rule (sex) Distance: max - min of the mean gaps, NaN if any of them is NaN. */
  public static double distanceOfAll(Map<String, Double> meanGaps) {
    for (double v : meanGaps.values()) {
      if (Double.isNaN(v)) {
        return Double.NaN;
      }
    }
    return distance(meanGaps);
  }

  /** Distance for other attributes: max - min of the mean gaps, NaN ignored. */
  public static double distance(Map<String, Double> meanGaps) {
    double max = Double.NEGATIVE_INFINITY, min = Double.POSITIVE_INFINITY;
    for (double v : meanGaps.values()) {
      if (!Double.isNaN(v)) {
        max = Math.max(max, v);
        min = Math.min(min, v);
      }
    }
    return max == Double.NEGATIVE_INFINITY ? Double.NaN : max - min;
  }
}
