package org.chexaudit.core.stats;

import java.util.SplittableRandom;

/**
 * Image-level bootstrap stratified by the 0/1 target, as {@code sklearn.utils.resample(...,
 * stratify=y)} with n_samples = n: each class is resampled with replacement to its own count, so
 * class counts are kept exactly. Draws differ from numpy's (a different generator), the
 * distribution is the same.
 */
public final class StratifiedResample implements ResampleScheme {
  private static final long serialVersionUID = 1L;
  private final int n;
  private final int[][] rowsByClass;

  private StratifiedResample(int n, int[][] rowsByClass) {
    this.n = n;
    this.rowsByClass = rowsByClass;
  }

  public static StratifiedResample of(int[] y) {
    int positives = 0;
    for (int i = 0; i < y.length; i++) {
      if (y[i] != 0 && y[i] != 1) {
        throw new IllegalArgumentException("label at index " + i + " is " + y[i] + ", expected 0 or 1");
      }
      positives += y[i];
    }
    int[][] rows = {new int[y.length - positives], new int[positives]};
    int[] fill = new int[2];
    for (int i = 0; i < y.length; i++) {
      rows[y[i]][fill[y[i]]++] = i;
    }
    return new StratifiedResample(y.length, rows);
  }

  @Override
  public int[] weights(long seed, int replicate) {
    SplittableRandom random = ReplicateRandom.forReplicate(seed, replicate);
    int[] w = new int[n];
    for (int[] rows : rowsByClass) {
      for (int k = 0; k < rows.length; k++) {
        w[rows[random.nextInt(rows.length)]]++;
      }
    }
    return w;
  }

  @Override
  public int size() {
    return n;
  }
}
