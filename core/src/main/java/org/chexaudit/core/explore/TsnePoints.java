package org.chexaudit.core.explore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Which rows the explorer's t-SNE embeds when there are more than it may take. */
public final class TsnePoints {
  private TsnePoints() {}

  /**
   * All rows when {@code pool} (a seeded subsample of at most {@code max} rows) holds fewer than
   * {@code max}, i.e. all there are; else the sampled rows (so every plotted row has coordinates) plus a
   * seeded choice from the pool.
   */
  public static List<ExploreRow> choose(List<ExploreRow> sample, List<ExploreRow> pool, int max, long seed) {
    if (pool.size() < max) {
      return pool;
    }
    if (sample.size() > max) {
      throw new IllegalArgumentException("--tsneMaxPoints=" + max + " is smaller than the " + sample.size()
          + " sampled rows that the t-SNE plot shows; raise it");
    }
    List<ExploreRow> points = new ArrayList<>(sample);
    int[] extra = SeededSampling.withoutReplacement(pool.size(), max - sample.size(), new SplittableRandom(seed));
    Arrays.sort(extra);
    for (int i : extra) {
      points.add(pool.get(i));
    }
    return points;
  }
}
