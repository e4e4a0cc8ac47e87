package org.chexaudit.core.stats;

import org.apache.commons.math3.special.Beta;

/**
 * Pearson correlation with its two-sided p-value as {@code scipy.stats.pearsonr}, and CheXclusion's
 * Bonferroni significance check (spec B7: p rounded to 4 dp &lt;= 0.05/33).
 */
public final class Correlation {
  public static final double DEFAULT_BONFERRONI = 0.05 / 33;

  private final double r;
  private final double p;

  private Correlation(double r, double p) {
    this.r = r;
    this.p = p;
  }

  /** Pearson r of the pairs where neither value is NaN (the original drops NaN rows). */
  public static Correlation pearson(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("x.length=" + x.length + " != y.length=" + y.length);
    }
    int n = 0;
    double mx = 0, my = 0;
    for (int i = 0; i < x.length; i++) {
      if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
        mx += x[i];
        my += y[i];
        n++;
      }
    }
    if (n < 2) {
      throw new IllegalArgumentException("pearson needs at least 2 complete pairs, got " + n);
    }
    mx /= n;
    my /= n;
    double sxy = 0, sxx = 0, syy = 0;
    for (int i = 0; i < x.length; i++) {
      if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
        double dx = x[i] - mx, dy = y[i] - my;
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
      }
    }
    double r = Math.max(-1.0, Math.min(1.0, sxy / Math.sqrt(sxx * syy)));
    if (n == 2) {
      return new Correlation(r, 1.0);
    }
    // scipy: r ~ Beta(n/2-1, n/2-1) on [-1, 1] under H0; p = 2 * sf(|r|).
    double a = n / 2.0 - 1;
    double p = 2 * Beta.regularizedBeta((1 - Math.abs(r)) / 2, a, a);
    return new Correlation(r, Math.min(1.0, p));
  }

  public double r() {
    return r;
  }

  public double p() {
    return p;
  }

  /** Significant as in CorrelationCoefficients.ipynb: round(p, 4) &lt;= threshold. */
  public boolean significant(double threshold) {
    return Math.round(p * 1e4) / 1e4 <= threshold;
  }

  /** Bonferroni threshold alpha / tests. */
  public static double bonferroni(double alpha, int tests) {
    if (tests < 1) {
      throw new IllegalArgumentException("tests must be >= 1, got " + tests);
    }
    return alpha / tests;
  }
}
