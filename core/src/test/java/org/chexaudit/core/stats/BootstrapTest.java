package org.chexaudit.core.stats;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BootstrapTest {

  @Test
  void stratifiedReplicateKeepsClassCounts() {
    StratifiedResample scheme = StratifiedResample.of(Golden.Y);
    for (int r = 1; r <= 50; r++) {
      int[] w = scheme.weights(42, r);
      int pos = 0, neg = 0;
      for (int i = 0; i < w.length; i++) {
        if (Golden.Y[i] == 1) pos += w[i]; else neg += w[i];
      }
      assertThat(pos, is(7));
      assertThat(neg, is(13));
    }
  }

  @Test
  void replicateDependsOnlyOnSeedAndIndex() {
    StratifiedResample scheme = StratifiedResample.of(Golden.Y);
    int[] first = scheme.weights(7, 123);
    scheme.weights(7, 5); // other replicates in between change nothing
    assertArrayEquals(first, StratifiedResample.of(Golden.Y).weights(7, 123));
    assertThat(Arrays.equals(first, scheme.weights(7, 124)), is(false));
    assertThat(Arrays.equals(first, scheme.weights(8, 123)), is(false));
  }

  @Test
  void clusterReplicateKeepsWholePatients() {
    String[] patient = {"p1", "p1", "p2", "p3", "p3", "p3", "p4"};
    ClusterResample scheme = ClusterResample.of(patient);
    assertThat(scheme.clusters(), is(4));
    for (int r = 1; r <= 30; r++) {
      int[] w = scheme.weights(1, r);
      assertThat(w[0], is(w[1]));
      assertThat(w[3], is(w[4]));
      assertThat(w[4], is(w[5]));
      int drawn = w[0] + w[2] + w[3] + w[6];
      assertThat(drawn, is(4)); // as many patients drawn as there are
    }
  }

  @Test
  void percentileUsesNumpyLinearQuantile() {
    // np.quantile([0.3,0.1,0.7,0.2,0.9,0.5,0.4], 0.025) = 0.115, 0.975 -> 0.8699999999999999
    double[] v = {0.3, 0.1, 0.7, 0.2, 0.9, 0.5, 0.4};
    assertThat(Quantiles.linear(v, 0.025), closeTo(0.115, 1e-15));
    assertThat(Quantiles.linear(v, 0.975), is(0.8699999999999999));
    assertThat(Quantiles.linear(new double[] {1, 2, 3, 4}, 0.5), is(2.5));
    assertThat(Quantiles.linear(new double[] {Double.NaN, 1, 3}, 0.5), is(2.0));
  }

  @Test
  void evaluatorPointEstimateMatchesGoldenAndIntervalsBracketIt() {
    Map<String, int[]> groups = new LinkedHashMap<>();
    for (String g : new String[] {"W", "A", "B"}) {
      groups.put(g, Golden.rowsOf(Golden.G, g));
    }
    SubgroupEvaluator ev = SubgroupEvaluator.of(Golden.Y, Golden.S, groups, FprTargetRule.of(0.2));
    double[] point = ev.evaluate(null);
    assertThat(point[0], is(0.60));
    assertThat(point[SubgroupEvaluator.index(-1, 0)], closeTo(0.9230769230769231, 1e-12));
    assertThat(point[SubgroupEvaluator.index(0, 0)], closeTo(0.9375, 1e-12));
    assertThat(point[SubgroupEvaluator.index(0, 1)], closeTo(0.75, 1e-12));
    assertThat(point[SubgroupEvaluator.index(1, 1)], is(0.0));
    double[][] ci = BootstrapInterval.run(ev, StratifiedResample.of(Golden.Y), 2024, 300, 0.95);
    double aucAll = point[SubgroupEvaluator.index(-1, 0)];
    assertThat(ci[SubgroupEvaluator.index(-1, 0)][0], lessThan(aucAll));
    assertThat(ci[SubgroupEvaluator.index(-1, 0)][1], greaterThan(aucAll - 1e-12));
    assertThat(ci[SubgroupEvaluator.index(-1, 0)][0], greaterThan(0.6));
  }

  @Test
  void thresholdIsReChosenInEachReplicate() {
    SubgroupEvaluator ev = SubgroupEvaluator.of(Golden.Y, Golden.S, Map.of(), FprTargetRule.of(0.2));
    StratifiedResample scheme = StratifiedResample.of(Golden.Y);
    List<Double> thresholds = new ArrayList<>();
    for (int r = 1; r <= 20; r++) {
      thresholds.add(ev.evaluate(scheme.weights(3, r))[0]);
    }
    assertThat(thresholds.stream().distinct().count(), is(not(1L)));
  }

  @Test
  void calibrationAsSklearnUniformBins() {
    // calibration_curve(yc, pc, n_bins=5): prob_true [1/3,1/3,.5,1,.5], prob_pred [.11667,.35,.575,.775,.975]
    int[] y = {0, 0, 1, 1, 0, 1, 0, 1, 1, 1, 0, 0};
    double[] p = {0.05, 0.1, 0.2, 0.35, 0.4, 0.55, 0.6, 0.75, 0.8, 0.95, 0.3, 1.0};
    Calibration c = Calibration.of(y, p, 5);
    double[] fraction = c.points().stream().mapToDouble(q -> q.fractionPositive).toArray();
    double[] mean = c.points().stream().mapToDouble(q -> q.meanPredicted).toArray();
    assertArrayEquals(new double[] {1 / 3.0, 1 / 3.0, 0.5, 1, 0.5}, fraction, 1e-12);
    assertArrayEquals(new double[] {0.11666666666666667, 0.35, 0.575, 0.775, 0.975}, mean, 1e-12);
    assertThat(c.expectedCalibrationError(), closeTo(0.1875, 1e-12));
  }

  @Test
  void ageBinPresets() {
    AgeBins cxp = AgeBins.chexclusion();
    assertThat(cxp.label(19), is("0-20"));
    assertThat(cxp.label(20), is("20-40"));
    assertThat(cxp.label(79), is("60-80"));
    assertThat(cxp.label(80), is("80-"));
    AgeBins resample = AgeBins.chexploration();
    assertThat(resample.label(20), is("0"));
    assertThat(resample.label(21), is("1"));
    assertThat(resample.label(80), is("6"));
    assertThat(resample.label(81), is("7"));
  }
}
