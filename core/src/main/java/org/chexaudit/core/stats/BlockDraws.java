package org.chexaudit.core.stats;

import java.util.SplittableRandom;

/**
 * A stratified bootstrap draw made in two steps, so it can be drawn where the rows lie: a sample split
 * into blocks (score segments of one label) need not be gathered. Replicate r of a stratum of n rows
 * draws n rows with replacement, as {@link StratifiedResample}: first how many of the n draws land in
 * each block ({@link #allocate}: n uniform draws over the stratum, counted per block), then, in each
 * block, which of its rows of that stratum they are ({@link #drawWithin}: that many uniform draws over
 * them). Given the counts per block, the draws within a block are uniform, so the two steps together
 * are the one-step draw in distribution: class counts are kept exactly. Each step's stream depends only
 * on (seed, replicate) and, within a block, on the block and stratum.
 */
public final class BlockDraws {
  private BlockDraws() {}

  /**
   * How many of each stratum's draws land in each block, for replicate {@code r}: {@code sizes[s][b]}
   * is stratum s's row count in block b (blocks in ascending score order), the result the same shape.
   */
  public static int[][] allocate(long seed, int replicate, long[][] sizes) {
    SplittableRandom random = ReplicateRandom.forReplicate(seed, replicate);
    int[][] counts = new int[sizes.length][];
    for (int s = 0; s < sizes.length; s++) {
      long[] cumulative = new long[sizes[s].length];
      long n = 0;
      for (int b = 0; b < cumulative.length; b++) {
        n += sizes[s][b];
        cumulative[b] = n;
      }
      if (n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("BlockDraws: a stratum of " + n + " rows is more than one draw can index");
      }
      counts[s] = new int[cumulative.length];
      if (n == 0) {
        continue;
      }
      // a coarse index: the first block of each of 4096 equal ranges of draws, so a draw finds its block
      // in a step or two instead of a binary search
      int ranges = (int) Math.min(4096, n);
      int[] firstBlock = new int[ranges + 1];
      for (int k = 0; k <= ranges; k++) {
        firstBlock[k] = blockOf(cumulative, Math.min(n - 1, k * n / ranges));
      }
      for (long k = 0; k < n; k++) {
        int u = random.nextInt((int) n);
        int b = firstBlock[(int) ((long) u * ranges / n)];
        while (cumulative[b] <= u) {
          b++;
        }
        counts[s][b]++;
      }
    }
    return counts;
  }

  /** The first block whose cumulative size exceeds {@code index}. */
  private static int blockOf(long[] cumulative, long index) {
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > index) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /**
   * Adds to {@code weights} the {@code count} draws of replicate {@code r} that landed in block
   * {@code block}, stratum {@code stratum}, whose rows are {@code rows} (indices into {@code weights},
   * in the block's fixed row order).
   */
  public static void drawWithin(long seed, int replicate, long block, int stratum, int[] rows, int count,
      int[] weights) {
    if (count == 0) {
      return;
    }
    SplittableRandom random = ReplicateRandom.forPart(seed, replicate, block * 1_000_003L + stratum);
    for (int k = 0; k < count; k++) {
      weights[rows[random.nextInt(rows.length)]]++;
    }
  }
}
