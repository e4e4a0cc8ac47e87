package org.chexaudit.core.stats;

import java.util.Map;

/**
 * CheXclusion's aggregation over training runs (spec B7): mean ± 1.96·sd/√k with the sample
 * standard deviation (ddof = 1), NaN values skipped as pandas does (k counts the defined values),
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

  /** Half-width of the interval: 1.96·sd/√k. */
  public static double ciHalfWidth(double[] values) {
    int k = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        k++;
      }
    }
    return k < 2 ? Double.NaN : Z95 * sampleSd(values) / Math.sqrt(k);
  }

  /** Sex-style Distance: |mean gap of a - mean gap of b|. */
  public static double distance(double meanGapA, double meanGapB) {
    return Math.abs(meanGapA - meanGapB);
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
