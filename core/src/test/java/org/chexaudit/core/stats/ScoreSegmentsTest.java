package org.chexaudit.core.stats;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.Arrays;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ScoreSegmentsTest {
  /** The radix sort behind bucketCounts orders as Arrays.sort does, over the whole 24-bit range. */
  @Test
  void bucketsSortAsArraysSortDoes() {
    Random random = new Random(3);
    for (int n : new int[] {0, 1, 2, 1000, 70_000}) {
      int[] a = new int[n + 5];
      for (int i = 0; i < a.length; i++) {
        a[i] = random.nextInt(4) == 0 ? ScoreSegments.bucket(random.nextDouble()) : random.nextInt(1 << 24);
      }
      int[] expected = a.clone();
      Arrays.sort(expected, 0, n);
      ScoreSegments.sortBuckets(a, n);
      assertThat("n=" + n, Arrays.equals(a, expected), is(true));
    }
  }

  @Test
  void bucketCountsArePairsOfBucketAndCount() {
    Random random = new Random(4);
    int[] buckets = new int[5000];
    TreeMap<Integer, Long> expected = new TreeMap<>();
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = ScoreSegments.bucket(Math.round(random.nextDouble() * 50) / 50.0);
      expected.merge(buckets[i], 1L, Long::sum);
    }
    long[] pairs = ScoreSegments.bucketCounts(buckets, buckets.length);
    TreeMap<Integer, Long> got = new TreeMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      got.put((int) pairs[i], pairs[i + 1]);
    }
    assertThat(got, is(expected));
    assertThat(pairs.length, is(2 * expected.size()));
  }
}
