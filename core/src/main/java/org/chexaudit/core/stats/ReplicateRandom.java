package org.chexaudit.core.stats;

import java.util.SplittableRandom;

/**
 * The random stream of bootstrap replicate {@code r}: a {@link SplittableRandom} (a specified,
 * platform-independent generator) seeded with a SplitMix64 hash of (seed, r) alone, so a replicate
 * draws the same rows whichever worker computes it and in whichever order.
 */
public final class ReplicateRandom {
  private ReplicateRandom() {}

  public static SplittableRandom forReplicate(long seed, int replicate) {
    return new SplittableRandom(mix64(mix64(seed) ^ (0x9E3779B97F4A7C15L * (replicate + 1L))));
  }

  /** The stream of one part (e.g. one block of rows) of replicate {@code r}: independent of every other part's. */
  public static SplittableRandom forPart(long seed, int replicate, long part) {
    return forReplicate(mix64(seed ^ mix64(part + 0x632BE59BD9B4E019L)), replicate);
  }

  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
