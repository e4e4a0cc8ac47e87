package org.chexaudit.core.explore;

/**
 * A one-dimensional Gaussian kernel density estimate with Scott's bandwidth, as SciPy's
 * {@code scipy.stats.gaussian_kde(sample)} with its default {@code bw_method}: the kernel's standard
 * deviation is {@code n^(-1/5)} times the sample standard deviation (ddof=1). Where SciPy raises (fewer
 * than two values, or all equal) the estimate is undefined and its density is 0 everywhere, as seaborn
 * draws nothing for such a group.
 */
public final class GaussianKde {
  private static final double SQRT_2PI = Math.sqrt(2 * Math.PI);

  private final double[] sample;
  private final double bandwidth;

  private GaussianKde(double[] sample, double bandwidth) {
    this.sample = sample;
    this.bandwidth = bandwidth;
  }

  /** The estimate of {@code sample} (copied); every value must be finite. */
  public static GaussianKde of(double[] sample) {
    int n = sample.length;
    double mean = 0;
    for (double a : sample) {
      if (!Double.isFinite(a)) {
        throw new IllegalArgumentException("GaussianKde: non-finite value " + a);
      }
      mean += a;
    }
    mean /= n;
    double ss = 0;
    for (double a : sample) {
      ss += (a - mean) * (a - mean);
    }
    double bw = n < 2 ? 0 : Math.sqrt(ss / (n - 1)) * Math.pow(n, -0.2);
    return new GaussianKde(sample.clone(), bw);
  }

  /** The kernel's standard deviation; 0 when the estimate is undefined. */
  public double bandwidth() {
    return bandwidth;
  }

  /** Whether there are at least two distinct values. */
  public boolean defined() {
    return bandwidth > 0;
  }

  /** The density at {@code t}. */
  public double density(double t) {
    if (!defined()) {
      return 0;
    }
    double s = 0;
    for (double a : sample) {
      double z = (t - a) / bandwidth;
      s += Math.exp(-0.5 * z * z);
    }
    return s / (sample.length * bandwidth * SQRT_2PI);
  }

  /** The density at each of {@code points}. */
  public double[] density(double[] points) {
    double[] d = new double[points.length];
    for (int k = 0; k < points.length; k++) {
      d[k] = density(points[k]);
    }
    return d;
  }

  /** {@code points} equally spaced values from {@code lo} to {@code hi}, both included ({@code numpy.linspace}). */
  public static double[] grid(double lo, double hi, int points) {
    if (points < 2) {
      throw new IllegalArgumentException("GaussianKde.grid: " + points + " points");
    }
    double[] g = new double[points];
    for (int k = 0; k < points; k++) {
      g[k] = lo + k * (hi - lo) / (points - 1);
    }
    g[points - 1] = hi;
    return g;
  }
}
