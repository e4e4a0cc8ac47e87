package org.chexaudit.core.explore;

import java.io.Serializable;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * A fitted principal component analysis, as {@code sklearn.decomposition.PCA(n_components=f)}
 * with a fraction {@code 0 < f < 1}: the eigen decomposition of the sample covariance, keeping
 * the smallest k whose cumulative explained-variance ratio exceeds f
 * ({@code np.searchsorted(cumsum(ratio), f, side='right') + 1}).
 *
 * <p>Sign convention: each component is flipped so that its loading of largest absolute value is
 * positive (the first such loading on ties). This is sklearn's {@code svd_flip(...,
 * u_based_decision=False)} (the rule of sklearn &gt;= 1.5); sklearn 1.2 flips on the scores
 * instead, so individual components may differ from it in sign, never in magnitude. The rule
 * depends only on the component, so it is the same however the covariance was partitioned.
 */
public final class PcaModel implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long sampleCount;
  private final double[] mean;
  /** components[c] is the unit loading vector of mode c + 1. */
  private final double[][] components;
  /** Variance of every mode (all d of them), descending, divided by n - 1. */
  private final double[] allExplainedVariance;
  private final double[] allExplainedVarianceRatio;

  private PcaModel(
      long sampleCount,
      double[] mean,
      double[][] components,
      double[] allExplainedVariance,
      double[] allExplainedVarianceRatio) {
    this.sampleCount = sampleCount;
    this.mean = mean;
    this.components = components;
    this.allExplainedVariance = allExplainedVariance;
    this.allExplainedVarianceRatio = allExplainedVarianceRatio;
  }

  /** Fits on in-memory rows (each of the same length). */
  public static PcaModel fit(double[][] rows, double varianceFraction) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("PCA needs rows, got none");
    }
    CovarianceAccumulator acc = new CovarianceAccumulator(rows[0].length);
    for (double[] row : rows) {
      acc.add(row);
    }
    return fit(acc, varianceFraction);
  }

  /** Fits on combined covariance sums. */
  public static PcaModel fit(CovarianceAccumulator acc, double varianceFraction) {
    checkFraction(varianceFraction);
    long n = acc.count();
    if (n < 2) {
      throw new IllegalArgumentException("PCA needs at least 2 rows, got " + n);
    }
    int d = acc.dimension();
    double[][] cov = acc.covariance();
    DMatrixRMaj matrix = new DMatrixRMaj(cov);
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
    if (!eig.decompose(matrix)) {
      throw new IllegalStateException("eigen decomposition of the " + d + "x" + d
          + " covariance failed");
    }
    Integer[] order = new Integer[d];
    double[] values = new double[d];
    for (int i = 0; i < d; i++) {
      order[i] = i;
      // Round-off can make null-space eigenvalues slightly negative.
      values[i] = Math.max(0.0, eig.getEigenvalue(i).getReal());
    }
    Arrays.sort(order, (a, b) -> a.equals(b) ? 0
        : values[a] != values[b] ? Double.compare(values[b], values[a]) : Integer.compare(a, b));
    double[] variance = new double[d];
    double total = 0;
    for (int i = 0; i < d; i++) {
      variance[i] = values[order[i]];
      total += variance[i];
    }
    if (total <= 0) {
      throw new IllegalArgumentException("PCA input has zero variance in every column");
    }
    double[] ratio = new double[d];
    for (int i = 0; i < d; i++) {
      ratio[i] = variance[i] / total;
    }
    int k = componentsFor(ratio, varianceFraction);
    double[][] comps = new double[k][];
    for (int c = 0; c < k; c++) {
      DMatrixRMaj v = eig.getEigenVector(order[c]);
      comps[c] = flipSign(normalise(Arrays.copyOf(v.getData(), d)));
    }
    return new PcaModel(n, acc.mean(), comps, variance, ratio);
  }

  /**
   * sklearn's rule for a fractional {@code n_components}: the smallest k whose cumulative ratio
   * is strictly greater than {@code fraction}, capped at the number of modes.
   */
  public static int componentsFor(double[] explainedVarianceRatio, double fraction) {
    checkFraction(fraction);
    double cumulative = 0;
    for (int i = 0; i < explainedVarianceRatio.length; i++) {
      cumulative += explainedVarianceRatio[i];
      if (cumulative > fraction) {
        return i + 1;
      }
    }
    return explainedVarianceRatio.length;
  }

  private static void checkFraction(double fraction) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException(
          "varianceFraction must be in (0, 1), got " + fraction);
    }
  }

  private static double[] normalise(double[] v) {
    double norm = 0;
    for (double x : v) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < v.length; i++) {
      v[i] /= norm;
    }
    return v;
  }

  private static double[] flipSign(double[] v) {
    int arg = 0;
    for (int i = 1; i < v.length; i++) {
      if (Math.abs(v[i]) > Math.abs(v[arg])) {
        arg = i;
      }
    }
    if (v[arg] < 0) {
      for (int i = 0; i < v.length; i++) {
        v[i] = -v[i];
      }
    }
    return v;
  }

  /** Scores of one row: {@code (x - mean) . components^T}, length {@link #numComponents()}. */
  public double[] project(double[] row) {
    if (row.length != mean.length) {
      throw new IllegalArgumentException(
          "row has " + row.length + " values, the PCA was fitted on " + mean.length);
    }
    int d = mean.length;
    double[] centred = new double[d];
    for (int j = 0; j < d; j++) {
      centred[j] = row[j] - mean[j];
    }
    int k = components.length;
    double[] scores = new double[k];
    int c = 0;
    // Four components per pass: each centred value is loaded once for four multiply-adds.
    for (; c + 3 < k; c += 4) {
      double[] v0 = components[c];
      double[] v1 = components[c + 1];
      double[] v2 = components[c + 2];
      double[] v3 = components[c + 3];
      double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (int j = 0; j < d; j++) {
        double x = centred[j];
        s0 += x * v0[j];
        s1 += x * v1[j];
        s2 += x * v2[j];
        s3 += x * v3[j];
      }
      scores[c] = s0;
      scores[c + 1] = s1;
      scores[c + 2] = s2;
      scores[c + 3] = s3;
    }
    for (; c < k; c++) {
      double[] v = components[c];
      double s = 0;
      for (int j = 0; j < d; j++) {
        s += centred[j] * v[j];
      }
      scores[c] = s;
    }
    return scores;
  }

  public int numComponents() {
    return components.length;
  }

  public int dimension() {
    return mean.length;
  }

  public long sampleCount() {
    return sampleCount;
  }

  public double[] mean() {
    return mean.clone();
  }

  /** Loading vector of mode {@code c} (0-based). */
  public double[] component(int c) {
    return components[c].clone();
  }

  /** Variance of the kept modes (sklearn {@code explained_variance_}). */
  public double[] explainedVariance() {
    return Arrays.copyOf(allExplainedVariance, components.length);
  }

  /** Ratios of the kept modes (sklearn {@code explained_variance_ratio_}). */
  public double[] explainedVarianceRatio() {
    return Arrays.copyOf(allExplainedVarianceRatio, components.length);
  }

  /** Ratios of all d modes, for the cumulative explained-variance curve. */
  public double[] allExplainedVarianceRatio() {
    return allExplainedVarianceRatio.clone();
  }
}
