package org.chexaudit.core.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Image-level bootstrap stratified by a class vector, as {@code sklearn.utils.resample(...,
 * stratify=classes)} with n_samples = n: each class is resampled with replacement to its own count,
 * so class counts are kept exactly. {@link #of(int[])} stratifies on a label's own 0/1 target;
 * {@link #ofClasses(String[])} on any class vector, such as the 3-class race target that
 * {@code results_split_race.py} stratifies on. Draws depend only on the class vector, seed and
 * replicate, so labels sharing a class vector share every replicate's draw. Draws differ from
 * numpy's (a different generator), the distribution is the same.
 */
public final class StratifiedResample implements ResampleScheme {
  private static final long serialVersionUID = 1L;
  private final int n;
  private final int[][] rowsByClass;

  private StratifiedResample(int n, int[][] rowsByClass) {
    this.n = n;
    this.rowsByClass = rowsByClass;
  }

  /** Stratified by a 0/1 target. */
  public static StratifiedResample of(int[] y) {
    String[] classes = new String[y.length];
    for (int i = 0; i < y.length; i++) {
      if (y[i] != 0 && y[i] != 1) {
        throw new IllegalArgumentException("label at index " + i + " is " + y[i] + ", expected 0 or 1");
      }
      classes[i] = Integer.toString(y[i]);
    }
    return ofClasses(classes);
  }

  /** Stratified by {@code classes[i]}, the class of row i; classes are drawn in sorted order. */
  public static StratifiedResample ofClasses(String[] classes) {
    TreeMap<String, List<Integer>> rows = new TreeMap<>();
    for (int i = 0; i < classes.length; i++) {
      if (classes[i] == null) {
        throw new IllegalArgumentException("StratifiedResample: class of row " + i + " is missing");
      }
      rows.computeIfAbsent(classes[i], c -> new ArrayList<>()).add(i);
    }
    int[][] byClass = rows.values().stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray())
        .toArray(int[][]::new);
    return new StratifiedResample(classes.length, byClass);
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
