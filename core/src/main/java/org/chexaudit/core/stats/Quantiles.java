package org.chexaudit.core.stats;

import java.util.Arrays;

/** numpy's default {@code quantile} (method 'linear'), with numpy's two-sided lerp. */
public final class Quantiles {
  private Quantiles() {}

  /** The q-quantile of {@code values}; NaN values are ignored (nanquantile); NaN if none left. */
  public static double linear(double[] values, double q) {
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException("q must be in [0, 1], got " + q);
    }
    double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    double position = q * (v.length - 1);
    int lo = (int) Math.floor(position);
    int hi = Math.min(lo + 1, v.length - 1);
    double t = position - lo;
    double a = v[lo], b = v[hi];
    double diff = b - a;
    // numpy _lerp: a + diff*t, but b - diff*(1-t) when t >= 0.5 (keeps monotonicity at the ends)
    return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
  }
}
