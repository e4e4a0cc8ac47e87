package org.chexaudit.core.stats;

import java.util.Arrays;

/**
 * Two-sided two-sample Kolmogorov–Smirnov test as {@code scipy.stats.ks_2samp} (SciPy 1.10):
 * with {@link Method#AUTO} the p-value is exact when max(n1, n2) &lt;= 10000 and asymptotic
 * ({@code kstwo.sf(D, round(n1·n2/(n1+n2)))}) otherwise, or when the exact computation fails
 * numerically. Commons Math's test switches on n1·n2 instead, hence this port.
 */
public final class KolmogorovSmirnovTwoSample {
  /** How the p-value is computed. */
  public enum Method { AUTO, EXACT, ASYMPTOTIC }

  static final int MAX_AUTO_N = 10000;

  private final double statistic;
  private final double pValue;
  private final boolean exact;

  private KolmogorovSmirnovTwoSample(double statistic, double pValue, boolean exact) {
    this.statistic = statistic;
    this.pValue = pValue;
    this.exact = exact;
  }

  public static KolmogorovSmirnovTwoSample test(double[] a, double[] b) {
    return test(a, b, Method.AUTO);
  }

  public static KolmogorovSmirnovTwoSample test(double[] a, double[] b, Method method) {
    if (a.length == 0 || b.length == 0) {
      throw new IllegalArgumentException("ks_2samp needs two non-empty samples, got n1=" + a.length + ", n2=" + b.length);
    }
    double[] x = a.clone();
    double[] y = b.clone();
    Arrays.sort(x);
    Arrays.sort(y);
    int n1 = x.length, n2 = y.length;
    double d = statistic(x, y);
    boolean tryExact = method == Method.EXACT || (method == Method.AUTO && Math.max(n1, n2) <= MAX_AUTO_N);
    if (tryExact) {
      long g = gcd(n1, n2);
      long lcm = (n1 / g) * n2;
      long h = Math.round(Math.rint(d * lcm));
      double dExact = (double) h / lcm;
      if (h == 0) {
        return new KolmogorovSmirnovTwoSample(dExact, 1.0, true);
      }
      double p = n1 == n2 ? probOutsideSquare(n1, (int) h) : outerProbInside(n1, n2, (int) g, h);
      if (p >= 0 && p <= 1) {
        return new KolmogorovSmirnovTwoSample(dExact, p, true);
      }
    }
    double m = Math.max(n1, n2), n = Math.min(n1, n2);
    double en = m * n / (m + n);
    return new KolmogorovSmirnovTwoSample(d, KolmogorovDistribution.sf((int) Math.rint(en), d), false);
  }

  /** max |F1 - F2| over all observed values (right-continuous empirical CDFs). */
  static double statistic(double[] x, double[] y) {
    double max = 0;
    for (double[] sample : new double[][] {x, y}) {
      for (double v : sample) {
        double diff = Math.abs((double) upperBound(x, v) / x.length - (double) upperBound(y, v) / y.length);
        max = Math.max(max, diff);
      }
    }
    return max;
  }

  /** Number of values &lt;= v in sorted {@code a} (numpy searchsorted side='right'). */
  private static int upperBound(double[] a, double v) {
    int lo = 0, hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] <= v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** P(D_{n,n} >= h/n), SciPy's {@code _compute_prob_outside_square} (Horner-like, stable). */
  static double probOutsideSquare(int n, int h) {
    double p = 0.0;
    int k = n / h;
    while (k >= 0) {
      double p1 = 1.0;
      for (int j = 0; j < h; j++) {
        p1 = (n - (double) k * h - j) * p1 / (n + (double) k * h + j + 1);
      }
      p = p1 * (1.0 - p);
      k--;
    }
    return 2 * p;
  }

  /**
   * 1 - P(paths stay strictly inside |x/m - y/n| &lt; h/lcm), SciPy's
   * {@code _compute_outer_prob_inside_method} (Viehmann's recursion for 1 - p).
   */
  static double outerProbInside(int m0, int n0, int g, long h) {
    int m = Math.max(m0, n0);
    int n = Math.min(m0, n0);
    long mg = m / g;
    long ng = n / g;
    int minj = 0;
    int maxj = (int) Math.min((long) Math.ceil((double) h / mg), n + 1);
    int curlen = maxj - minj;
    int lenA = Math.min(2 * maxj + 2, n + 1);
    double[] a = new double[lenA];
    Arrays.fill(a, 1.0);
    Arrays.fill(a, minj, Math.min(maxj, lenA), 0.0);
    for (int i = 1; i <= m; i++) {
      int lastminj = minj;
      int lastlen = curlen;
      minj = (int) Math.max(Math.floorDiv(ng * i - h, mg) + 1, 0);
      minj = Math.min(minj, n);
      maxj = (int) Math.min(ceilDiv(ng * i + h, mg), n + 1);
      if (maxj <= minj) {
        return 1.0;
      }
      double val = minj == 0 ? 0.0 : 1.0;
      for (int jj = 0; jj < maxj - minj; jj++) {
        int j = jj + minj;
        val = (a[jj + minj - lastminj] * i + val * j) / (i + j);
        a[jj] = val;
      }
      curlen = maxj - minj;
      if (lastlen > curlen) {
        Arrays.fill(a, Math.min(maxj - minj, lenA), Math.min(maxj - minj + (lastlen - curlen), lenA), 1.0);
      }
    }
    return a[maxj - minj - 1];
  }

  private static long ceilDiv(long x, long y) {
    return -Math.floorDiv(-x, y);
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  /** D; in exact mode rounded to a multiple of 1/lcm(n1, n2) as SciPy does. */
  public double statistic() {
    return statistic;
  }

  public double pValue() {
    return pValue;
  }

  /** Whether the p-value is exact (false: asymptotic). */
  public boolean isExact() {
    return exact;
  }
}
