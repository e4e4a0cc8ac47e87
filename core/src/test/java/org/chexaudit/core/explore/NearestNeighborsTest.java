package org.chexaudit.core.explore;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NearestNeighborsTest {
  @Test
  void equalsNaiveSearchAcrossBlocksAndThreads() {
    // 700 points: more than one reference block; 7 dims: odd tile remainders.
    Random rng = new Random(11);
    int n = 700;
    double[][] x = new double[n][7];
    for (double[] row : x) {
      for (int j = 0; j < 7; j++) {
        row[j] = rng.nextGaussian();
      }
    }
    x[5] = x[9].clone(); // a duplicate: distance 0
    NearestNeighbors.Result one = NearestNeighbors.search(x, 10, 1);
    NearestNeighbors.Result two = NearestNeighbors.search(x, 10, 2);
    for (int q : new int[] {0, 5, 9, 333, 699}) {
      double[][] xs = x;
      int query = q;
      int[] naive = IntStream.range(0, n).filter(j -> j != query).boxed()
          .sorted(Comparator.comparingDouble((Integer j) -> sq(xs[query], xs[j])).thenComparing(j -> j))
          .limit(10).mapToInt(Integer::intValue).toArray();
      assertThat(one.neighbours()[q], equalTo(naive));
      assertThat(two.neighbours()[q], equalTo(naive));
      for (int m = 0; m < 10; m++) {
        assertThat(one.squaredDistances()[q][m], closeTo(sq(x[q], x[naive[m]]), 1e-12));
      }
    }
    assertThat(one.neighbours()[5][0], equalTo(9));
    assertThat(Arrays.deepEquals(one.neighbours(), two.neighbours()), equalTo(true));
  }

  private static double sq(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += (a[j] - b[j]) * (a[j] - b[j]);
    }
    return s;
  }
}
