package org.chexaudit.core.explore;

import java.util.Arrays;

/**
 * The sparse joint probabilities P of Barnes-Hut t-SNE, as sklearn's {@code _joint_probabilities_nn}:
 * per point, a binary search on the Gaussian precision so that the conditional distribution over
 * its k nearest neighbours has the requested perplexity; then {@code P = (P + P^T) / sum}.
 * Stored as CSR with columns ascending in each row.
 */
public final class Affinities {
  private static final int MAX_STEPS = 100;
  private static final double ENTROPY_TOLERANCE = 1e-5;
  private static final double MIN_SUM = 1e-8;

  private final int[] rowStart;
  private final int[] columns;
  private final double[] values;

  private Affinities(int[] rowStart, int[] columns, double[] values) {
    this.rowStart = rowStart;
    this.columns = columns;
    this.values = values;
  }

  public int size() {
    return rowStart.length - 1;
  }

  public int[] rowStart() {
    return rowStart;
  }

  public int[] columns() {
    return columns;
  }

  public double[] values() {
    return values;
  }

  /**
   * Row-conditional probabilities over each point's neighbours, by sklearn's
   * {@code _binary_search_perplexity} (entropy in nats, tolerance 1e-5, at most 100 steps).
   */
  public static double[][] conditional(double[][] squaredDistances, double perplexity) {
    if (!(perplexity > 0)) {
      throw new IllegalArgumentException("perplexity must be > 0, got " + perplexity);
    }
    double desiredEntropy = Math.log(perplexity);
    int n = squaredDistances.length;
    double[][] p = new double[n][];
    for (int i = 0; i < n; i++) {
      double[] dist = squaredDistances[i];
      double[] row = new double[dist.length];
      double beta = 1.0;
      double betaMin = Double.NEGATIVE_INFINITY;
      double betaMax = Double.POSITIVE_INFINITY;
      for (int step = 0; step < MAX_STEPS; step++) {
        double sum = 0;
        for (int m = 0; m < dist.length; m++) {
          row[m] = Math.exp(-dist[m] * beta);
          sum += row[m];
        }
        if (sum == 0.0) {
          sum = MIN_SUM;
        }
        double sumDistP = 0;
        for (int m = 0; m < dist.length; m++) {
          row[m] /= sum;
          sumDistP += dist[m] * row[m];
        }
        double entropy = Math.log(sum) + beta * sumDistP;
        double diff = entropy - desiredEntropy;
        if (Math.abs(diff) <= ENTROPY_TOLERANCE) {
          break;
        }
        if (diff > 0) {
          betaMin = beta;
          beta = betaMax == Double.POSITIVE_INFINITY ? beta * 2 : (beta + betaMax) / 2;
        } else {
          betaMax = beta;
          beta = betaMin == Double.NEGATIVE_INFINITY ? beta / 2 : (beta + betaMin) / 2;
        }
      }
      p[i] = row;
    }
    return p;
  }

  /** Symmetrised, normalised joint probabilities from conditional ones over the neighbours. */
  public static Affinities joint(int[][] neighbours, double[][] conditional) {
    int n = neighbours.length;
    int[] counts = new int[n + 1];
    for (int i = 0; i < n; i++) {
      counts[i] += neighbours[i].length;
      for (int j : neighbours[i]) {
        counts[j]++;
      }
    }
    int[] start = new int[n + 1];
    for (int i = 0; i < n; i++) {
      start[i + 1] = start[i] + counts[i];
    }
    int[] cols = new int[start[n]];
    double[] vals = new double[start[n]];
    int[] fill = Arrays.copyOf(start, n);
    for (int i = 0; i < n; i++) {
      for (int m = 0; m < neighbours[i].length; m++) {
        int j = neighbours[i][m];
        double v = conditional[i][m];
        cols[fill[i]] = j;
        vals[fill[i]++] = v;
        cols[fill[j]] = i;
        vals[fill[j]++] = v;
      }
    }
    // Sort each row by column, add duplicates (i in j's list and j in i's), normalise.
    int[] outStart = new int[n + 1];
    int[] outCols = new int[start[n]];
    double[] outVals = new double[start[n]];
    int out = 0;
    double total = 0;
    for (int i = 0; i < n; i++) {
      int s = start[i];
      int e = start[i + 1];
      long[] keyed = new long[e - s];
      for (int t = s; t < e; t++) {
        keyed[t - s] = ((long) cols[t] << 32) | (t - s);
      }
      Arrays.sort(keyed);
      outStart[i] = out;
      int prev = -1;
      for (long key : keyed) {
        int col = (int) (key >>> 32);
        double v = vals[s + (int) (key & 0xffffffffL)];
        if (col == prev) {
          outVals[out - 1] += v;
        } else {
          outCols[out] = col;
          outVals[out++] = v;
          prev = col;
        }
        total += v;
      }
    }
    outStart[n] = out;
    double norm = Math.max(total, Math.ulp(1.0));
    double[] finalVals = Arrays.copyOf(outVals, out);
    for (int t = 0; t < out; t++) {
      finalVals[t] /= norm;
    }
    return new Affinities(outStart, Arrays.copyOf(outCols, out), finalVals);
  }
}
