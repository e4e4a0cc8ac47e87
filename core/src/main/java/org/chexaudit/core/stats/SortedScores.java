package org.chexaudit.core.stats;

/**
 * Sorts scores ascending in linear time, carrying each score's row index: an LSD radix sort on the
 * scores' bits made unsigned-comparable (negative numbers have every bit flipped, others only the sign
 * bit), one pass per byte that is not the same for every score. The order is {@link Double#compare}'s
 * for finite scores ({@code -0.0} before {@code 0.0}), so histograms built from it equal those of
 * {@link ScoreHistogram#of}. For a bundle's 14 labels x 4 groupings, one radix sort per label replaces
 * four comparison sorts per label (the whole set and each grouping's groups are read off one order).
 *
 * <p>The sort runs on each score rounded to a float: its 32 bits in three 11-bit passes, half the memory
 * a 64-bit key moves per pass and three passes instead of up to eight. Rounding to a float keeps order
 * (never reverses two scores), so only scores that round to the same float can be out of order; a stable
 * insertion sort by the exact score puts each such run right, and when that would move more than a few
 * rows per score (scores far denser than floats can tell apart) the sort starts over on the 64-bit keys.
 * A model's float32 output read into doubles never needs it.
 */
public final class SortedScores {
  private SortedScores() {}

  /**
   * The row indices {@code 0..n-1} ordered by {@code scores[i]} ascending (stable: equal scores keep
   * index order).
   */
  public static int[] order(double[] scores, int n) {
    int[] keys = new int[n];
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      int bits = Float.floatToRawIntBits((float) scores[i]);
      keys[i] = bits ^ ((bits >> 31) | Integer.MIN_VALUE);
      rows[i] = i;
    }
    int[] keys2 = new int[n];
    int[] rows2 = new int[n];
    int[] count = new int[(1 << FLOAT_DIGIT_BITS) + 1];
    int mask = (1 << FLOAT_DIGIT_BITS) - 1;
    for (int shift = 0; shift < 32; shift += FLOAT_DIGIT_BITS) {
      java.util.Arrays.fill(count, 0);
      for (int i = 0; i < n; i++) {
        count[((keys[i] >>> shift) & mask) + 1]++;
      }
      if (n == 0 || count[((keys[0] >>> shift) & mask) + 1] == n) {
        continue; // every key has this digit: the pass would not move anything
      }
      for (int b = 0; b < mask + 1; b++) {
        count[b + 1] += count[b];
      }
      for (int i = 0; i < n; i++) {
        int to = count[(keys[i] >>> shift) & mask]++;
        keys2[to] = keys[i];
        rows2[to] = rows[i];
      }
      int[] k = keys;
      keys = keys2;
      keys2 = k;
      int[] r = rows;
      rows = rows2;
      rows2 = r;
    }
    return sortWithinEqualFloats(scores, keys, rows) ? rows : orderDoubles(scores, n);
  }

  private static final int FLOAT_DIGIT_BITS = 11;
  /** Rows an insertion may move per score before the 64-bit sort is cheaper. */
  private static final int MAX_MOVES_PER_SCORE = 8;

  /**
   * Orders each run of rows whose scores round to the same float (equal {@code keys}) by the exact score,
   * stably; false, leaving {@code rows} partly sorted, when that takes too many moves.
   */
  private static boolean sortWithinEqualFloats(double[] scores, int[] keys, int[] rows) {
    int n = rows.length;
    long budget = (long) MAX_MOVES_PER_SCORE * n;
    int runStart = 0;
    for (int i = 1; i < n; i++) {
      if (keys[i] != keys[i - 1]) {
        runStart = i;
        continue;
      }
      int row = rows[i];
      double score = scores[row];
      int j = i;
      while (j > runStart && Double.compare(scores[rows[j - 1]], score) > 0) {
        rows[j] = rows[j - 1];
        j--;
        if (--budget < 0) {
          return false;
        }
      }
      rows[j] = row;
    }
    return true;
  }

  private static int[] orderDoubles(double[] scores, int n) {
    long[] keys = new long[n];
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      long bits = Double.doubleToRawLongBits(scores[i]);
      keys[i] = bits ^ ((bits >> 63) | Long.MIN_VALUE);
      rows[i] = i;
    }
    long[] keys2 = new long[n];
    int[] rows2 = new int[n];
    int[] count = new int[257];
    for (int shift = 0; shift < 64; shift += 8) {
      java.util.Arrays.fill(count, 0);
      for (int i = 0; i < n; i++) {
        count[(int) ((keys[i] >>> shift) & 0xff) + 1]++;
      }
      if (n == 0 || count[(int) ((keys[0] >>> shift) & 0xff) + 1] == n) {
        continue; // every key has this byte: the pass would not move anything
      }
      for (int b = 0; b < 256; b++) {
        count[b + 1] += count[b];
      }
      for (int i = 0; i < n; i++) {
        int to = count[(int) ((keys[i] >>> shift) & 0xff)]++;
        keys2[to] = keys[i];
        rows2[to] = rows[i];
      }
      long[] k = keys;
      keys = keys2;
      keys2 = k;
      int[] r = rows;
      rows = rows2;
      rows2 = r;
    }
    return rows;
  }

  /** Builds a {@link ScoreHistogram} from scores given in ascending order. */
  public static final class Builder {
    private double[] scores = new double[16];
    private long[] positives = new long[16];
    private long[] negatives = new long[16];
    private int size;

    /** Adds one score, not below the last one added. */
    public void add(double score, boolean positive) {
      add(score, positive, 1);
    }

    /** Adds {@code count} copies of one score, not below the last one added ({@code count > 0}). */
    public void add(double score, boolean positive, long count) {
      if (size == 0 || scores[size - 1] != score) {
        if (size == scores.length) {
          scores = java.util.Arrays.copyOf(scores, 2 * size);
          positives = java.util.Arrays.copyOf(positives, 2 * size);
          negatives = java.util.Arrays.copyOf(negatives, 2 * size);
        }
        scores[size++] = score;
      }
      if (positive) {
        positives[size - 1] += count;
      } else {
        negatives[size - 1] += count;
      }
    }

    /** Adds a point with {@code positives} and {@code negatives} at a score not below the last one added. */
    public void add(double score, long positives, long negatives) {
      if (positives > 0) {
        add(score, true, positives);
      }
      if (negatives > 0) {
        add(score, false, negatives);
      }
    }

    public boolean isEmpty() {
      return size == 0;
    }

    /** The histogram; its counts in bytes when they are small (see {@link ScoreHistogram}). */
    public ScoreHistogram build() {
      boolean small = true;
      for (int i = 0; i < size && small; i++) {
        small = positives[i] <= ScoreHistogram.SMALL_COUNT && negatives[i] <= ScoreHistogram.SMALL_COUNT;
      }
      if (small) {
        byte[] p = new byte[size];
        byte[] n = new byte[size];
        for (int i = 0; i < size; i++) {
          p[i] = (byte) positives[i];
          n[i] = (byte) negatives[i];
        }
        return ScoreHistogram.ofSmallCounts(java.util.Arrays.copyOf(scores, size), p, n);
      }
      return new ScoreHistogram(java.util.Arrays.copyOf(scores, size), java.util.Arrays.copyOf(positives, size),
          java.util.Arrays.copyOf(negatives, size));
    }
  }
}
