package org.chexaudit.core.stats;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Cluster (patient-level) bootstrap: draw as many patients as there are, with replacement, and
 * keep all images of every drawn patient. Images of one patient are correlated, so resampling
 * images alone gives intervals that are too narrow.
 */
public final class ClusterResample implements ResampleScheme {
  private static final long serialVersionUID = 1L;
  private final int n;
  private final int[] clusterOfRow;
  private final int clusters;

  private ClusterResample(int n, int[] clusterOfRow, int clusters) {
    this.n = n;
    this.clusterOfRow = clusterOfRow;
    this.clusters = clusters;
  }

  /** {@code clusterIds[i]} names the patient of row i. */
  public static ClusterResample of(String[] clusterIds) {
    Map<String, Integer> index = new LinkedHashMap<>();
    int[] of = new int[clusterIds.length];
    for (int i = 0; i < clusterIds.length; i++) {
      if (clusterIds[i] == null) {
        throw new IllegalArgumentException("cluster id of row " + i + " is null");
      }
      of[i] = index.computeIfAbsent(clusterIds[i], k -> index.size());
    }
    return new ClusterResample(clusterIds.length, of, index.size());
  }

  @Override
  public int[] weights(long seed, int replicate) {
    SplittableRandom random = ReplicateRandom.forReplicate(seed, replicate);
    int[] drawn = new int[clusters];
    for (int k = 0; k < clusters; k++) {
      drawn[random.nextInt(clusters)]++;
    }
    int[] w = new int[n];
    for (int i = 0; i < n; i++) {
      w[i] = drawn[clusterOfRow[i]];
    }
    return w;
  }

  @Override
  public int size() {
    return n;
  }

  public int clusters() {
    return clusters;
  }
}
