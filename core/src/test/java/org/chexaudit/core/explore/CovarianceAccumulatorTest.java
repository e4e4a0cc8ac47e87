package org.chexaudit.core.explore;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CovarianceAccumulatorTest {
  private static double[][] rows(int n, int d, long seed, double offset) {
    Random rng = new Random(seed);
    double[][] x = new double[n][d];
    for (int i = 0; i < n; i++) {
      double common = rng.nextGaussian();
      for (int j = 0; j < d; j++) {
        x[i][j] = offset + common * (j + 1) + rng.nextGaussian();
      }
    }
    return x;
  }

  private static double[][] twoPassCovariance(double[][] x) {
    int n = x.length;
    int d = x[0].length;
    double[] mean = new double[d];
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        mean[j] += row[j] / n;
      }
    }
    double[][] cov = new double[d][d];
    for (double[] row : x) {
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          cov[i][j] += (row[i] - mean[i]) * (row[j] - mean[j]) / (n - 1);
        }
      }
    }
    return cov;
  }

  @Test
  void blockedAndMergedCovarianceEqualsTwoPass() {
    // 700 rows: two full 256-row blocks plus a partial one; d = 7 exercises tile padding.
    double[][] x = rows(700, 7, 1, 0.0);
    double[][] expected = twoPassCovariance(x);
    CovarianceAccumulator whole = new CovarianceAccumulator(7);
    CovarianceAccumulator a = new CovarianceAccumulator(7);
    CovarianceAccumulator b = new CovarianceAccumulator(7);
    for (int i = 0; i < x.length; i++) {
      whole.add(x[i]);
      (i % 3 == 0 ? a : b).add(x[i]);
    }
    a.merge(b);
    assertThat(a.count(), equalTo(700L));
    double[][] one = whole.covariance();
    double[][] merged = a.covariance();
    for (int i = 0; i < 7; i++) {
      for (int j = 0; j < 7; j++) {
        assertThat(one[i][j], closeTo(expected[i][j], 1e-10));
        assertThat(merged[i][j], closeTo(expected[i][j], 1e-10));
      }
    }
  }

  @Test
  void largeOffsetDoesNotCancel() {
    // Naive sums of squares lose all digits at offset 1e8; centred blocks keep them.
    double[][] x = rows(600, 3, 2, 1e8);
    double[][] expected = twoPassCovariance(x);
    CovarianceAccumulator acc = new CovarianceAccumulator(3);
    for (double[] row : x) {
      acc.add(row);
    }
    double[][] cov = acc.covariance();
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        assertThat(cov[i][j], closeTo(expected[i][j], 1e-6 * Math.abs(expected[i][j])));
      }
    }
  }

  @Test
  void restoredFromPartsEqualsOriginal() {
    double[][] x = rows(300, 4, 3, 5.0);
    CovarianceAccumulator acc = new CovarianceAccumulator(4);
    for (double[] row : x) {
      acc.add(row);
    }
    CovarianceAccumulator copy = CovarianceAccumulator.of(4, acc.flushedCount(), acc.flushedMean(),
        acc.flushedPackedComoment(), acc.pendingRows());
    assertThat(copy.count(), equalTo(300L));
    assertThat(copy.packedComoment(), equalTo(acc.packedComoment()));
  }

  @Test
  void rejectsNonFiniteValue() {
    CovarianceAccumulator acc = new CovarianceAccumulator(2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> acc.add(new double[] {1.0, Double.NaN}));
    assertThat(e.getMessage(), containsString("not finite"));
  }
}
