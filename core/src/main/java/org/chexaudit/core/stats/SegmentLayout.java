package org.chexaudit.core.stats;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;

/**
 * One label's score segments ({@link ScoreSegments}): the cut points and how many scores each segment
 * holds, and the bootstrap's blocks within them. A segment holds at most {@code target} scores unless it
 * is a single bucket holding more (a tie, or scores closer than a bucket's width); such a segment is
 * split by row into {@link #parts} blocks of about {@code target} rows (a row's part is its tie-break
 * hash modulo the parts), so no block of rows outgrows the target, ties included.
 *
 * <p>A block id is {@code part << 32 | segment}: a segment's first (or only) block has the segment's own
 * number. Blocks are ordered by (segment, part) ({@link #BLOCK_ORDER}).
 */
public final class SegmentLayout implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Blocks by (segment, part). */
  public static final Comparator<Long> BLOCK_ORDER =
      Comparator.comparingInt((Long b) -> segmentOfBlock(b)).thenComparingInt(SegmentLayout::partOfBlock);

  private final int[] cuts;
  private final long[] sizes;
  private final long target;

  private SegmentLayout(int[] cuts, long[] sizes, long target) {
    this.cuts = cuts;
    this.sizes = sizes;
    this.target = target;
  }

  /** Segments of buckets {@code buckets} (ascending, distinct) holding {@code counts} scores, cut at {@code target}. */
  public static SegmentLayout of(int[] buckets, long[] counts, long target) {
    int[] cuts = ScoreSegments.cuts(buckets, counts, target);
    long[] sizes = new long[cuts.length + 1];
    int segment = 0;
    for (int i = 0; i < buckets.length; i++) {
      while (segment < cuts.length && buckets[i] >= cuts[segment]) {
        segment++;
      }
      sizes[segment] += counts[i];
    }
    return new SegmentLayout(cuts, sizes, target);
  }

  /** Segments of {@link ScoreSegments#bucketCounts} pairs (bucket, count, ...), cut at {@code target}. */
  public static SegmentLayout ofBucketCounts(long[] pairs, long target) {
    int[] buckets = new int[pairs.length / 2];
    long[] counts = new long[pairs.length / 2];
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = (int) pairs[2 * i];
      counts[i] = pairs[2 * i + 1];
    }
    return of(buckets, counts, target);
  }

  /** The layout of {@code scores}, counted here: for a sample held in memory. */
  public static SegmentLayout of(double[] scores, long target) {
    int[] buckets = Arrays.stream(scores).mapToInt(ScoreSegments::bucket).toArray();
    return ofBucketCounts(ScoreSegments.bucketCounts(buckets, buckets.length), target);
  }

  /** The cut points: the first bucket of every segment after the first. */
  public int[] cuts() {
    return cuts.clone();
  }

  public int segmentOf(double score) {
    return ScoreSegments.segmentOf(cuts, score);
  }

  /** Scores in segment {@code segment}. */
  public long size(int segment) {
    return sizes[segment];
  }

  /** Blocks segment {@code segment} is split into: one unless it holds more than the target. */
  public int parts(int segment) {
    return (int) Math.max(1, (sizes[segment] + target - 1) / target);
  }

  /** The block of a row with this score and tie-break hash. */
  public long blockOf(double score, long tieBreak) {
    int segment = segmentOf(score);
    int parts = parts(segment);
    return blockId(segment, parts == 1 ? 0 : (int) Long.remainderUnsigned(tieBreak, parts));
  }

  public static long blockId(int segment, int part) {
    return ((long) part << 32) | (segment & 0xFFFFFFFFL);
  }

  public static int segmentOfBlock(long block) {
    return (int) block;
  }

  public static int partOfBlock(long block) {
    return (int) (block >>> 32);
  }
}
