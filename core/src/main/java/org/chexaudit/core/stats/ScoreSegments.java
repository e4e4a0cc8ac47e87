package org.chexaudit.core.stats;

import java.util.Arrays;

/**
 * Splits a label's score axis into segments of bounded size, so the exact histogram of a large
 * sample is held and shuffled as several bounded records instead of one record per label and group.
 *
 * <p>A score's <em>bucket</em> is the top 24 bits of its order-preserving bit pattern (4,096 buckets
 * per power of two); bucket order is score order. The segments are runs of consecutive buckets chosen
 * from the exact per-bucket counts of the whole sample, each holding at most {@code target} scores
 * unless a single bucket holds more. Integer counts make the cut points, and so every result, the same
 * on every runner, whatever the order the counts were merged in.
 */
public final class ScoreSegments {
  /**
   * Scores per segment the cut aims at: an exact histogram of this many distinct scores is about 6 MB, a
   * bounded record on any runner, and a million rows are a few segments per label (the Direct runner pays per key).
   */
  public static final long DEFAULT_TARGET = 1 << 18;

  private ScoreSegments() {}

  /** The bucket of {@code score}, in [0, 2^24); {@code -0.0} and {@code 0.0} share one. */
  public static int bucket(double score) {
    if (Double.isNaN(score)) {
      throw new IllegalArgumentException("score is NaN");
    }
    long bits = Double.doubleToRawLongBits(score + 0.0); // -0.0 + 0.0 is 0.0
    long unsigned = bits ^ ((bits >> 63) | Long.MIN_VALUE);
    return (int) (unsigned >>> 40);
  }

  /**
   * Cut points for buckets {@code buckets} (ascending, distinct) holding {@code counts} scores: the
   * first bucket of every segment after the first. Segment {@code i} holds buckets in
   * [{@code cuts[i-1]}, {@code cuts[i]}).
   */
  public static int[] cuts(int[] buckets, long[] counts, long target) {
    if (target < 1) {
      throw new IllegalArgumentException("target must be >= 1, got " + target);
    }
    int[] cuts = new int[buckets.length];
    int k = 0;
    long inSegment = 0;
    for (int i = 0; i < buckets.length; i++) {
      if (inSegment > 0 && inSegment + counts[i] > target) {
        cuts[k++] = buckets[i];
        inSegment = 0;
      }
      inSegment += counts[i];
    }
    return Arrays.copyOf(cuts, k);
  }

  /**
   * The first {@code n} buckets counted, as one array: bucket, count, bucket, count, ... with buckets
   * ascending ({@code buckets} is sorted in place).
   */
  public static long[] bucketCounts(int[] buckets, int n) {
    sortBuckets(buckets, n);
    long[] pairs = new long[2 * n];
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (k > 0 && pairs[k - 2] == buckets[i]) {
        pairs[k - 1]++;
      } else {
        pairs[k++] = buckets[i];
        pairs[k++] = 1;
      }
    }
    return Arrays.copyOf(pairs, k);
  }

  /**
   * Sorts the first {@code n} buckets (each in [0, 2^24)) ascending: an LSD radix sort, one pass per byte
   * not shared by all of them; a comparison sort of a 65,536-row buffer per label cost more than the
   * histograms themselves (JFR, issue 15).
   */
  static void sortBuckets(int[] buckets, int n) {
    int[] from = buckets;
    int[] to = new int[n];
    int[] count = new int[257];
    for (int shift = 0; shift < 24; shift += 8) {
      Arrays.fill(count, 0);
      for (int i = 0; i < n; i++) {
        count[((from[i] >>> shift) & 0xff) + 1]++;
      }
      if (n == 0 || count[((from[0] >>> shift) & 0xff) + 1] == n) {
        continue;
      }
      for (int b = 0; b < 256; b++) {
        count[b + 1] += count[b];
      }
      for (int i = 0; i < n; i++) {
        to[count[(from[i] >>> shift) & 0xff]++] = from[i];
      }
      int[] t = from;
      from = to;
      to = t;
    }
    if (from != buckets) {
      System.arraycopy(from, 0, buckets, 0, n);
    }
  }

  /** The segment of {@code score} under {@code cuts}: how many cut points are at or below its bucket. */
  public static int segmentOf(int[] cuts, double score) {
    int b = bucket(score);
    int i = Arrays.binarySearch(cuts, b);
    return i >= 0 ? i + 1 : -i - 1;
  }
}
