package org.chexaudit.core.explore;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SeededSamplingTest {
  @Test
  void weightedDrawsFollowWeightsAndSkipZeroWeights() {
    int[] drawn = SeededSampling.weightedWithReplacement(new double[] {1, 0, 3}, 40000,
        new SplittableRandom(1));
    int[] counts = new int[3];
    for (int i : drawn) {
      counts[i]++;
    }
    assertThat(counts[1], equalTo(0));
    assertThat(counts[2] / 40000.0, closeTo(0.75, 0.01));
  }

  @Test
  void withoutReplacementGivesDistinctIndices() {
    int[] drawn = SeededSampling.withoutReplacement(50, 50, new SplittableRandom(2));
    int[] sorted = drawn.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < 50; i++) {
      assertThat(sorted[i], equalTo(i));
    }
  }
}
