package org.chexaudit.core.explore;

import java.util.SplittableRandom;

/** Seeded draws of row indices: weighted with replacement, and uniform without replacement. */
public final class SeededSampling {
  private SeededSampling() {}

  /**
   * {@code n} indices into {@code weights}, drawn with replacement with probability proportional
   * to the weight (what torch's {@code WeightedRandomSampler(weights, n, replacement=True)}
   * samples from; the draws themselves differ).
   */
  public static int[] weightedWithReplacement(double[] weights, int n, SplittableRandom rng) {
    double[] cumulative = new double[weights.length];
    double total = 0;
    for (int i = 0; i < weights.length; i++) {
      if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
        throw new IllegalArgumentException("weight " + i + " is not finite and >= 0: " + weights[i]);
      }
      total += weights[i];
      cumulative[i] = total;
    }
    if (!(total > 0)) {
      throw new IllegalArgumentException(
          "weighted sampling needs a positive total weight, got " + total + " over "
              + weights.length + " rows");
    }
    int[] drawn = new int[n];
    for (int t = 0; t < n; t++) {
      double u = rng.nextDouble() * total;
      int lo = 0;
      int hi = weights.length - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cumulative[mid] > u) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      drawn[t] = lo;
    }
    return drawn;
  }

  /** {@code n} distinct indices in {@code [0, size)}, in draw order (partial Fisher-Yates). */
  public static int[] withoutReplacement(int size, int n, SplittableRandom rng) {
    if (n < 0 || n > size) {
      throw new IllegalArgumentException(
          "cannot draw " + n + " rows without replacement from " + size);
    }
    int[] pool = new int[size];
    for (int i = 0; i < size; i++) {
      pool[i] = i;
    }
    int[] drawn = new int[n];
    for (int t = 0; t < n; t++) {
      int j = t + rng.nextInt(size - t);
      int tmp = pool[t];
      pool[t] = pool[j];
      pool[j] = tmp;
      drawn[t] = pool[t];
    }
    return drawn;
  }
}
