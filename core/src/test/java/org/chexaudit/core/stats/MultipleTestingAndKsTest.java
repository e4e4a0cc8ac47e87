package org.chexaudit.core.stats;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** scipy 1.10.1 ks_2samp / kstwo.sf and statsmodels 0.13.5 multipletests(method='fdr_by'). */
class MultipleTestingAndKsTest {

  @Test
  void benjaminiYekutieliGolden() {
    BenjaminiYekutieli by = BenjaminiYekutieli.adjust(new double[] {1e-4, 0.004, 0.019, 0.03, 0.2, 0.8}, 0.05);
    assertArrayEquals(new boolean[] {true, true, false, false, false, false}, by.rejected());
    assertArrayEquals(new double[] {0.00147, 0.0294, 0.0931, 0.11025, 0.588, 1.0}, by.adjusted(), 1e-12);
  }

  @Test
  void benjaminiYekutieliUnsortedWithTies() {
    // multipletests([0.01,0.01,0.5,0.001,0.04], method='fdr_by')
    BenjaminiYekutieli by = BenjaminiYekutieli.adjust(new double[] {0.01, 0.01, 0.5, 0.001, 0.04}, 0.05);
    assertArrayEquals(new boolean[] {true, true, false, true, false}, by.rejected());
    assertArrayEquals(new double[] {0.03805556, 0.03805556, 1.0, 0.01141667, 0.11416667}, by.adjusted(), 1e-8);
  }

  @Test
  void ksGoldenSmallSamplesExact() {
    KolmogorovSmirnovTwoSample ks = KolmogorovSmirnovTwoSample.test(
        new double[] {0.1, 0.5, 0.9, 1.3, 2.0, 2.2, 3.1}, new double[] {0.4, 1.1, 1.2, 2.5, 2.6, 3.0, 3.3, 4.0});
    assertThat(ks.statistic(), closeTo(0.48214285714285715, 1e-15));
    assertThat(ks.pValue(), closeTo(0.2522144522144522, 1e-13));
    assertThat(ks.isExact(), is(true));
    KolmogorovSmirnovTwoSample asymp = KolmogorovSmirnovTwoSample.test(
        new double[] {0.1, 0.5, 0.9, 1.3, 2.0, 2.2, 3.1}, new double[] {0.4, 1.1, 1.2, 2.5, 2.6, 3.0, 3.3, 4.0},
        KolmogorovSmirnovTwoSample.Method.ASYMPTOTIC);
    assertThat(asymp.pValue(), closeTo(0.21977333663057064, 1e-12));
  }

  @Test
  void ksGolden1000Vs1000() throws Exception {
    List<double[]> pairs = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        getClass().getResourceAsStream("/stats/ks_normal_1000.csv"), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.startsWith("#")) {
          String[] f = line.split(",");
          pairs.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])});
        }
      }
    }
    double[] x = pairs.stream().mapToDouble(p -> p[0]).toArray();
    double[] z = pairs.stream().mapToDouble(p -> p[1]).toArray();
    KolmogorovSmirnovTwoSample ks = KolmogorovSmirnovTwoSample.test(x, z);
    assertThat(ks.statistic(), closeTo(0.088, 1e-15));
    assertThat(ks.pValue() / 0.0008613642727365059, closeTo(1, 1e-10));
    KolmogorovSmirnovTwoSample asymp = KolmogorovSmirnovTwoSample.test(x, z, KolmogorovSmirnovTwoSample.Method.ASYMPTOTIC);
    assertThat(asymp.pValue() / 0.0008091105481708742, closeTo(1, 1e-9));
  }

  @Test
  void ksUnequalSizesExactAndAsymptotic() {
    double[] u = {0.345584, 0.821618, 0.330437, -1.303157, 0.905356, 0.446375, -0.536953, 0.581118, 0.364572,
        0.294132, 0.028422, 0.546713, -0.736454, -0.16291, -0.482119, 0.598846, 0.039722, -0.292457, -0.781908,
        -0.257192, 0.008142, -0.275603, 1.294064, 1.006724, -2.711162, -1.889013, -0.174772, -0.42219, 0.213643,
        0.217322, 2.117839, -1.112021, -0.377605, 2.042772, 0.646703, 0.663063, -0.514006};
    double[] v = {-1.148075, 0.667465, 0.609014, -0.727352, -0.183227, 0.427956, -0.444752, 0.40173, 0.595483,
        0.535586, -0.006292, 1.093748, 1.391167, 0.820848, -0.31823, 1.231652, -0.00144, 1.379161, -0.571787,
        1.414467, 0.479937, -0.748749, 0.186101, 0.554102, 0.772791, -0.482188, -0.607373, 0.699585, 0.03325,
        0.735506, 1.25952, -1.148787, 0.754388, 1.724647, 0.202473, -0.310815, 1.252244, 0.753447, 1.395883,
        0.154784, -0.981818, 0.389989, 0.054172, 1.275324, 0.693633, -1.130849, -0.695163, 1.383789, 1.179765,
        -0.140243, 0.498951, 0.945574, 0.968404};
    KolmogorovSmirnovTwoSample ks = KolmogorovSmirnovTwoSample.test(u, v);
    assertThat(ks.statistic(), closeTo(0.2605813360530342, 1e-15));
    assertThat(ks.pValue(), closeTo(0.08325439885386933, 1e-12));
    assertThat(KolmogorovSmirnovTwoSample.test(u, v, KolmogorovSmirnovTwoSample.Method.ASYMPTOTIC).pValue(),
        closeTo(0.08319340507124595, 1e-10));
    // ties within and across samples: ks_2samp([1,2,2,3,3,3,4],[2,3,3,5,5,6]) = (0.5, 0.3327505827505828)
    KolmogorovSmirnovTwoSample tied = KolmogorovSmirnovTwoSample.test(
        new double[] {1, 2, 2, 3, 3, 3, 4}, new double[] {2, 3, 3, 5, 5, 6});
    assertThat(tied.statistic(), is(0.5));
    assertThat(tied.pValue(), closeTo(0.3327505827505828, 1e-13));
    assertThat(KolmogorovSmirnovTwoSample.test(new double[] {1, 2}, new double[] {1, 2}).pValue(), is(1.0));
  }

  @Test
  void ksAutoSwitchesOnMaxSampleSize() {
    // a_i = ((i*7919) % 10007)/10007, b_j = ((j*104729) % 10009)/10009*1.02 (exact in both languages)
    KolmogorovSmirnovTwoSample big = KolmogorovSmirnovTwoSample.test(seqA(12000), seqB(9000, 1.02));
    assertThat(big.isExact(), is(false));
    assertThat(big.statistic(), closeTo(0.019805555555555632, 1e-15));
    assertThat(big.pValue() / 0.03490841949405854, closeTo(1, 1e-8));
    KolmogorovSmirnovTwoSample mid = KolmogorovSmirnovTwoSample.test(seqA(3000), seqB(2500, 1.03));
    assertThat(mid.isExact(), is(true)); // commons-math would go asymptotic here (n*m >= 10000)
    assertThat(mid.statistic(), closeTo(0.031066666666666666, 1e-15));
    assertThat(mid.pValue() / 0.14071316403639592, closeTo(1, 1e-9));
  }

  @Test
  void kolmogorovSurvivalAsScipyKstwo() {
    // scipy.stats.kstwo.sf(x, n)
    double[][] cases = {{500, 0.088, 0.0008091105481708702}, {10, 0.3, 0.27053557479999946},
        {100, 0.05, 0.9532159710635725}, {100, 0.15, 0.019839242125641813}, {100, 0.25, 5.408871776434847e-06},
        {1000, 0.03, 0.3226902143914636}, {5000, 0.01, 0.6954557253913853}, {5000, 0.03, 0.00024159234422666817},
        {200000, 0.002, 0.39995085369038097}, {50, 0.6, 9.634070456142374e-18}, {30, 0.02, 1.0},
        {140, 0.12, 0.03252638258561632}};
    for (double[] c : cases) {
      double p = KolmogorovDistribution.sf((int) c[0], c[1]);
      assertThat("n=" + c[0] + " x=" + c[1], p / c[2], closeTo(1, 1e-8));
    }
  }

  private static double[] seqA(int n) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = ((i * 7919L) % 10007) / 10007.0;
    }
    return a;
  }

  private static double[] seqB(int n, double scale) {
    double[] b = new double[n];
    for (int j = 0; j < n; j++) {
      b[j] = ((j * 104729L) % 10009) / 10009.0 * scale;
    }
    return b;
  }
}
