package org.chexaudit.pipelines.report;

/**
 * The 95% interval of a difference of two independent proportions {@code x1/n1 - x2/n2} by Newcombe's
 * hybrid score method (Newcombe 1998, method 10; statsmodels {@code confint_proportions_2indep(...,
 * method='newcomb')}): the two Wilson intervals combined. The report uses it for the gap between two
 * disjoint subgroups' TPR (or FPR) at a fixed operating point, from the counts in {@code metrics.csv}.
 */
record NewcombeInterval(double difference, double lo, double hi) {
  private static final double Z = 1.959963984540054;

  static NewcombeInterval of(long x1, long n1, long x2, long n2) {
    if (n1 <= 0 || n2 <= 0 || x1 < 0 || x2 < 0 || x1 > n1 || x2 > n2) {
      throw new IllegalArgumentException("NewcombeInterval: need 0 <= x <= n and n > 0, got x1=" + x1 + ", n1=" + n1
          + ", x2=" + x2 + ", n2=" + n2);
    }
    double p1 = (double) x1 / n1;
    double p2 = (double) x2 / n2;
    double[] w1 = wilson(x1, n1);
    double[] w2 = wilson(x2, n2);
    double d = p1 - p2;
    double lo = d - Math.sqrt(sq(p1 - w1[0]) + sq(w2[1] - p2));
    double hi = d + Math.sqrt(sq(w1[1] - p1) + sq(p2 - w2[0]));
    return new NewcombeInterval(d, lo, hi);
  }

  /** Wilson score interval of x/n. */
  static double[] wilson(long x, long n) {
    double p = (double) x / n;
    double z2 = Z * Z;
    double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    double half = Z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
    return new double[] {centre - half, centre + half};
  }

  boolean containsZero() {
    return lo <= 0 && hi >= 0;
  }

  private static double sq(double v) {
    return v * v;
  }
}
