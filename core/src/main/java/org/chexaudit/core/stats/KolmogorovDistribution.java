package org.chexaudit.core.stats;

import org.apache.commons.math3.special.Gamma;

/**
 * Survival function of the two-sided one-sample Kolmogorov statistic D_n, {@code
 * scipy.stats.kstwo.sf(x, n)}, ported from SciPy 1.10's {@code _ksstats._kolmogn} (Simard and
 * L'Ecuyer's choice of method by n and x). Deviation: SciPy uses Pomeranz's exact recursion for
 * n &lt;= 140 and 0.754693 &lt; n·x² &lt;= 4; this port uses the Durbin matrix (also exact) there.
 * The one-sided tail {@code smirnov(n, x)} is the exact Birnbaum–Tingey sum in log space.
 */
final class KolmogorovDistribution {
  private static final double PI2 = Math.PI * Math.PI;
  private static final double PI4 = PI2 * PI2;
  private static final double PI6 = PI4 * PI2;
  private static final double SQRT2PI = Math.sqrt(2 * Math.PI);
  private static final double SQRT3 = Math.sqrt(3);
  private static final double MIN_LOG = -708;
  private static final int E128 = 128;
  private static final double EP128 = Math.scalb(1.0, 128);
  private static final double EM128 = Math.scalb(1.0, -128);

  private KolmogorovDistribution() {}

  /** P(D_n >= x). */
  static double sf(int n, double x) {
    if (x >= 1.0) {
      return 0.0;
    }
    if (x <= 0.0) {
      return 1.0;
    }
    double t = n * x;
    if (t <= 1.0) {
      if (t <= 0.5) {
        return 1.0;
      }
      double logCdf = Gamma.logGamma(n + 1.0) - n * Math.log(n) + n * Math.log(2 * t - 1);
      return clip(1.0 - Math.exp(logCdf));
    }
    if (t >= n - 1) {
      return clip(2 * Math.pow(1.0 - x, n));
    }
    if (x >= 0.5) {
      return clip(2 * smirnov(n, x));
    }
    double nxSquared = t * x;
    if (n <= 140) {
      if (nxSquared <= 4) {
        return clip(1.0 - durbinMatrixCdf(n, x));
      }
      return clip(2 * smirnov(n, x));
    }
    if (nxSquared >= 370.0) {
      return 0.0;
    }
    if (nxSquared >= 2.2) {
      return clip(2 * smirnov(n, x));
    }
    double cdf;
    if (nxSquared >= 18.0) {
      cdf = 1.0;
    } else if (n <= 100000 && n * Math.pow(x, 1.5) <= 1.4) {
      cdf = durbinMatrixCdf(n, x);
    } else {
      cdf = pelzGoodCdf(n, x);
    }
    return clip(1.0 - cdf);
  }

  /** One-sided P(D_n^+ >= x), Birnbaum–Tingey: x Σ_j C(n,j) (1-x-j/n)^(n-j) (x+j/n)^(j-1). */
  static double smirnov(int n, double x) {
    if (x <= 0) {
      return 1.0;
    }
    if (x >= 1) {
      return 0.0;
    }
    int jmax = (int) Math.floor(n * (1 - x));
    double logNFact = Gamma.logGamma(n + 1.0);
    double sum = 0;
    for (int j = 0; j <= jmax; j++) {
      double a = 1 - x - (double) j / n;
      double b = x + (double) j / n;
      if (a <= 0 && n - j > 0) {
        continue;
      }
      double logTerm = logNFact - Gamma.logGamma(j + 1.0) - Gamma.logGamma(n - j + 1.0)
          + (n - j == 0 ? 0 : (n - j) * Math.log(a)) + (j - 1) * Math.log(b);
      sum += Math.exp(logTerm);
    }
    return clip(x * sum);
  }

  /** Durbin matrix, Marsaglia–Tsang–Wang scaling: P(D_n &lt;= d). Port of {@code _kolmogn_DMTW}. */
  static double durbinMatrixCdf(int n, double d) {
    if (d >= 1.0) {
      return 1.0;
    }
    double nd = n * d;
    if (nd <= 0.5) {
      return 0.0;
    }
    int k = (int) Math.ceil(nd);
    double h = k - nd;
    int m = 2 * k - 1;
    double[][] hm = new double[m][m];
    double[] v = new double[m];
    double[] w = new double[m];
    double fac = 1.0;
    for (int j = 1; j <= m; j++) {
      v[j - 1] = 1.0 - Math.pow(h, j);
      w[j - 1] = fac;
      fac /= j;
      v[j - 1] *= fac;
    }
    double tt = Math.pow(Math.max(2 * h - 1.0, 0), m) - 2 * Math.pow(h, m);
    v[m - 1] = (1.0 + tt) * fac;
    for (int i = 1; i < m; i++) {
      for (int r = i - 1; r < m; r++) {
        hm[r][i] = w[r - i + 1];
      }
    }
    for (int r = 0; r < m; r++) {
      hm[r][0] = v[r];
    }
    for (int c = 0; c < m; c++) {
      hm[m - 1][c] = v[m - 1 - c];
    }
    double[][] power = identity(m);
    int nn = n;
    int exponent = 0;
    int hExponent = 0;
    while (nn > 0) {
      if (nn % 2 == 1) {
        power = multiply(power, hm);
        exponent += hExponent;
      }
      hm = multiply(hm, hm);
      hExponent *= 2;
      if (Math.abs(hm[k - 1][k - 1]) > EP128) {
        scale(hm, 1 / EP128);
        hExponent += E128;
      }
      nn /= 2;
    }
    double p = power[k - 1][k - 1];
    for (int i = 1; i <= n; i++) {
      p = i * p / n;
      if (Math.abs(p) < EM128) {
        p *= EP128;
        exponent -= E128;
      }
    }
    if (exponent != 0) {
      p = Math.scalb(p, exponent);
    }
    return clip(p);
  }

  /** Pelz–Good asymptotic series for P(D_n &lt;= x). Port of {@code _kolmogn_PelzGood}. */
  static double pelzGoodCdf(int n, double x) {
    if (x <= 0.0) {
      return 0.0;
    }
    if (x >= 1.0) {
      return 1.0;
    }
    double z = Math.sqrt(n) * x;
    double z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
    double qlog = -PI2 / 8 / z2;
    if (qlog < MIN_LOG) {
      return 0.0;
    }
    double q = Math.exp(qlog);
    double k1a = -z2;
    double k1b = PI2 / 4;
    double k2a = 6 * z6 + 2 * z4;
    double k2b = (2 * z4 - 5 * z2) * PI2 / 4;
    double k2c = PI4 * (1 - 2 * z2) / 16;
    double k3d = PI6 * (5 - 30 * z2) / 64;
    double k3c = PI4 * (-60 * z2 + 212 * z4) / 16;
    double k3b = PI2 * (135 * z4 - 96 * z6) / 4;
    double k3a = -30 * z6 - 90 * Math.pow(z, 8);
    double[] k = new double[4];
    int maxk = (int) Math.ceil(16 * z / Math.PI);
    for (int kk = maxk; kk > 0; kk--) {
      double m = 2 * kk - 1;
      double m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
      double qpower = Math.pow(q, 8 * kk);
      double[] coeffs = {1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6};
      for (int i = 0; i < 4; i++) {
        k[i] = k[i] * qpower + coeffs[i];
      }
    }
    double[] div = {z, 6 * z4, 72 * Math.pow(z, 7), 6480 * Math.pow(z, 10)};
    for (int i = 0; i < 4; i++) {
      k[i] = k[i] * q * SQRT2PI / div[i];
    }
    double q2 = Math.exp(-PI2 / 2 / z2);
    double k2extra = 0, k3extra = 0;
    double sqrt3z = SQRT3 * z;
    for (int kk = maxk; kk > 0; kk--) {
      double ks2 = (double) kk * kk;
      double qp = Math.pow(q2, ks2);
      double kspi = Math.PI * kk;
      k2extra += ks2 * qp;
      k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ks2 * qp;
    }
    k[2] += k2extra * PI2 * SQRT2PI / (-36 * z3);
    k[3] += k3extra * PI2 * SQRT2PI / (216 * z6);
    double sum = 0;
    for (int i = 0; i < 4; i++) {
      sum += k[i] / Math.pow(n, i / 2.0);
    }
    return sum;
  }

  private static double[][] identity(int m) {
    double[][] a = new double[m][m];
    for (int i = 0; i < m; i++) {
      a[i][i] = 1;
    }
    return a;
  }

  private static double[][] multiply(double[][] a, double[][] b) {
    int m = a.length;
    double[][] c = new double[m][m];
    for (int i = 0; i < m; i++) {
      for (int l = 0; l < m; l++) {
        double ail = a[i][l];
        if (ail == 0) {
          continue;
        }
        for (int j = 0; j < m; j++) {
          c[i][j] += ail * b[l][j];
        }
      }
    }
    return c;
  }

  private static void scale(double[][] a, double f) {
    for (double[] row : a) {
      for (int j = 0; j < row.length; j++) {
        row[j] *= f;
      }
    }
  }

  private static double clip(double p) {
    return Math.max(0.0, Math.min(1.0, p));
  }
}
