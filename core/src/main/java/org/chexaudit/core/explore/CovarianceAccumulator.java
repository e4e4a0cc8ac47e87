package org.chexaudit.core.explore;

import java.util.Arrays;

/**
 * Streaming, mergeable sums for a sample covariance matrix: the count, the mean vector and the
 * upper triangle of the co-moment {@code sum (x - mean)(x - mean)^T}.
 *
 * <p>Rows are buffered in blocks; a full block is centred on its own mean, its co-moment is
 * computed with a register-tiled kernel, and it is merged into the running totals with Chan et
 * al.'s pairwise update. Centring each block before multiplying avoids the cancellation of the
 * textbook {@code sum x x^T - n mean mean^T}, and the block kernel is far faster than one rank-1
 * (Welford) update per row.
 */
public final class CovarianceAccumulator {
  /** Rows buffered before they are folded into the totals. */
  static final int BLOCK_ROWS = 256;

  private final int dimension;
  private long count;
  private final double[] mean;
  /** Packed upper triangle, row-major: (i, j >= i) at {@link #packedIndex}. */
  private final double[] comoment;
  private double[] pending;
  private int pendingRows;

  public CovarianceAccumulator(int dimension) {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
    }
    this.dimension = dimension;
    this.mean = new double[dimension];
    this.comoment = new double[packedSize(dimension)];
  }

  /** Restores an accumulator from its parts (used by coders); arrays are copied. */
  public static CovarianceAccumulator of(
      int dimension, long count, double[] mean, double[] packedComoment, double[][] pendingRows) {
    CovarianceAccumulator acc = new CovarianceAccumulator(dimension);
    if (mean.length != dimension || packedComoment.length != packedSize(dimension)) {
      throw new IllegalArgumentException(
          "mean.length=" + mean.length + " or comoment.length=" + packedComoment.length
              + " do not fit dimension " + dimension);
    }
    acc.count = count;
    System.arraycopy(mean, 0, acc.mean, 0, dimension);
    System.arraycopy(packedComoment, 0, acc.comoment, 0, packedComoment.length);
    for (double[] row : pendingRows) {
      acc.add(row);
    }
    return acc;
  }

  public static int packedSize(int dimension) {
    return dimension * (dimension + 1) / 2;
  }

  /** Index of (i, j), i <= j, in a packed upper triangle of side {@code d}. */
  public static int packedIndex(int d, int i, int j) {
    return i * d - i * (i - 1) / 2 + (j - i);
  }

  public int dimension() {
    return dimension;
  }

  /** Number of rows added, including those still buffered. */
  public long count() {
    return count + pendingRows;
  }

  /** Adds one row; it must have {@link #dimension()} finite values. */
  public CovarianceAccumulator add(double[] row) {
    if (row.length != dimension) {
      throw new IllegalArgumentException(
          "row has " + row.length + " values, the accumulator expects " + dimension);
    }
    for (int j = 0; j < dimension; j++) {
      if (!Double.isFinite(row[j])) {
        throw new IllegalArgumentException("row value " + j + " is not finite: " + row[j]);
      }
    }
    if (pending == null) {
      pending = new double[BLOCK_ROWS * dimension];
    }
    System.arraycopy(row, 0, pending, pendingRows * dimension, dimension);
    pendingRows++;
    if (pendingRows == BLOCK_ROWS) {
      flush();
    }
    return this;
  }

  /** Folds {@code other} into this accumulator; {@code other} is left unchanged. */
  public CovarianceAccumulator merge(CovarianceAccumulator other) {
    if (other.dimension != dimension) {
      throw new IllegalArgumentException(
          "cannot merge dimension " + other.dimension + " into dimension " + dimension);
    }
    for (int r = 0; r < other.pendingRows; r++) {
      add(Arrays.copyOfRange(other.pending, r * dimension, (r + 1) * dimension));
    }
    mergeTotals(other.count, other.mean, other.comoment);
    return this;
  }

  /** Folds buffered rows into the totals. */
  public CovarianceAccumulator flush() {
    if (pendingRows == 0) {
      return this;
    }
    int n = pendingRows;
    int d = dimension;
    double[] blockMean = new double[d];
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < d; j++) {
        blockMean[j] += pending[r * d + j];
      }
    }
    for (int j = 0; j < d; j++) {
      blockMean[j] /= n;
    }
    // Column-major centred block, columns padded to a multiple of 4 for the tiled kernel.
    int dp = (d + 3) & ~3;
    double[] cols = new double[dp * n];
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < d; j++) {
        cols[j * n + r] = pending[r * d + j] - blockMean[j];
      }
    }
    double[] blockComoment = new double[comoment.length];
    GramKernel.upperGram(cols, n, d, dp, blockComoment);
    pendingRows = 0;
    mergeTotals(n, blockMean, blockComoment);
    return this;
  }

  private void mergeTotals(long nb, double[] meanB, double[] comomentB) {
    if (nb == 0) {
      return;
    }
    long na = count;
    long n = na + nb;
    int d = dimension;
    double[] delta = new double[d];
    for (int j = 0; j < d; j++) {
      delta[j] = meanB[j] - mean[j];
    }
    double w = (double) na * (double) nb / (double) n;
    int idx = 0;
    for (int i = 0; i < d; i++) {
      double wi = w * delta[i];
      for (int j = i; j < d; j++) {
        comoment[idx] += comomentB[idx] + wi * delta[j];
        idx++;
      }
    }
    double fb = (double) nb / (double) n;
    for (int j = 0; j < d; j++) {
      mean[j] += delta[j] * fb;
    }
    count = n;
  }

  /** Mean of all rows (flushes the buffer). */
  public double[] mean() {
    flush();
    return mean.clone();
  }

  /** Packed upper-triangular co-moment (flushes the buffer). */
  public double[] packedComoment() {
    flush();
    return comoment.clone();
  }

  /** Rows still buffered, for coders that must not mutate the accumulator. */
  public double[][] pendingRows() {
    double[][] rows = new double[pendingRows][];
    for (int r = 0; r < pendingRows; r++) {
      rows[r] = Arrays.copyOfRange(pending, r * dimension, (r + 1) * dimension);
    }
    return rows;
  }

  /** Totals without the buffered rows, for coders. */
  public long flushedCount() {
    return count;
  }

  public double[] flushedMean() {
    return mean.clone();
  }

  public double[] flushedPackedComoment() {
    return comoment.clone();
  }

  /** Full symmetric sample covariance, divided by {@code count - 1} as numpy/sklearn do. */
  public double[][] covariance() {
    flush();
    if (count < 2) {
      throw new IllegalStateException("covariance needs at least 2 rows, got " + count);
    }
    int d = dimension;
    double[][] cov = new double[d][d];
    double denom = count - 1.0;
    int idx = 0;
    for (int i = 0; i < d; i++) {
      for (int j = i; j < d; j++) {
        double v = comoment[idx++] / denom;
        cov[i][j] = v;
        cov[j][i] = v;
      }
    }
    return cov;
  }
}
