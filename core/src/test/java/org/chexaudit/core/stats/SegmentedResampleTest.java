package org.chexaudit.core.stats;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The block-wise stratified bootstrap is sklearn's {@code resample(stratify=...)} in distribution:
 * class counts kept exactly, every row of a class drawn with probability 1/n per draw (so a row's
 * weight is Binomial(n, 1/n)), a block's share Binomial(n, m/n), whatever the blocks.
 */
class SegmentedResampleTest {
  private static final int N = 300;

  private static SegmentedResample sample(String[] strata) {
    Random random = new Random(5);
    long[] segment = new long[N];
    double[] score = new double[N];
    long[] tie = new long[N];
    for (int i = 0; i < N; i++) {
      strata[i] = i % 3 == 0 ? "1" : "0";
      // blocks of 40, 160 and 100 rows, the last a segment split into two blocks
      segment[i] = i < 40 ? 2 : i < 200 ? 7 : SegmentLayout.blockId(9, i % 2);
      score[i] = random.nextInt(20) / 20.0;
      tie[i] = random.nextLong();
    }
    return SegmentedResample.of(strata, segment, score, tie);
  }

  @Test
  void keepsClassCountsAndDrawsEveryRowWithEqualProbability() {
    String[] strata = new String[N];
    SegmentedResample scheme = sample(strata);
    int replicates = 4000;
    double[] sum = new double[N];
    long zeros = 0;
    double[] blockTotals = new double[replicates];
    for (int r = 1; r <= replicates; r++) {
      int[] w = scheme.weights(11, r);
      int ones = 0;
      int zerosClass = 0;
      for (int i = 0; i < N; i++) {
        sum[i] += w[i];
        zeros += w[i] == 0 ? 1 : 0;
        if (strata[i].equals("1")) ones += w[i]; else zerosClass += w[i];
        if (i < 40) blockTotals[r - 1] += w[i];
      }
      assertThat("class 1 count kept", ones, equalTo(100));
      assertThat("class 0 count kept", zerosClass, equalTo(200));
    }
    for (int i = 0; i < N; i++) {
      // mean of Binomial(n, 1/n) is 1, sd 1/sqrt(4000) = 0.016: 5 sd
      assertThat("row " + i + " mean weight", sum[i] / replicates, closeTo(1.0, 0.08));
    }
    // P(weight 0) = (1 - 1/n)^n for the class sizes 100 and 200
    double expectedZeros = (100 * Math.pow(0.99, 100) + 200 * Math.pow(1 - 1 / 200.0, 200)) / N;
    assertThat(zeros / (double) (N * replicates), closeTo(expectedZeros, 0.005));
    // the first block holds 14 rows of class 1 (of 100) and 26 of class 0 (of 200): variance of its total
    double mean = 0;
    for (double t : blockTotals) mean += t / replicates;
    double var = 0;
    for (double t : blockTotals) var += (t - mean) * (t - mean) / (replicates - 1);
    double expectedVar = 100 * 0.14 * 0.86 + 200 * 0.13 * 0.87;
    assertThat(mean, closeTo(40, 0.3));
    assertThat(var, closeTo(expectedVar, 0.1 * expectedVar));
  }

  /** The indexed lookup of a draw's block gives the blocks a plain scan over cumulative sizes gives. */
  @Test
  void allocationCountsEachDrawInTheBlockHoldingIt() {
    long[][] sizes = {{0, 5, 0, 7000, 1, 0, 333}, {2, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}};
    int[][] counts = BlockDraws.allocate(21, 4, sizes);
    java.util.SplittableRandom random = ReplicateRandom.forReplicate(21, 4);
    for (int s = 0; s < sizes.length; s++) {
      long n = java.util.Arrays.stream(sizes[s]).sum();
      int[] expected = new int[sizes[s].length];
      for (long k = 0; k < n; k++) {
        long u = random.nextInt((int) n);
        int b = 0;
        long cumulative = sizes[s][0];
        while (cumulative <= u) {
          cumulative += sizes[s][++b];
        }
        expected[b]++;
      }
      assertThat(counts[s], equalTo(expected));
    }
  }

  @Test
  void replicatesAreSeededAndDistinct() {
    SegmentedResample scheme = sample(new String[N]);
    assertThat(scheme.weights(3, 1), equalTo(scheme.weights(3, 1)));
    assertThat(scheme.weights(3, 1), not(equalTo(scheme.weights(3, 2))));
    assertThat(scheme.weights(3, 1), not(equalTo(scheme.weights(4, 1))));
  }
}
