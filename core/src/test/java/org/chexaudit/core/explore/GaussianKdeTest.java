package org.chexaudit.core.explore;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GaussianKdeTest {
  /*
   * Debian's python3-scipy 1.10.1:
   *   v = [-1.2, 0.3, 0.35, 0.8, 2.1, 2.4, 3.9]; k = gaussian_kde(v)
   *   k.factor * np.std(v, ddof=1);  k(np.linspace(-3, 6, 7))
   */
  static final double[] SAMPLE = {-1.2, 0.3, 0.35, 0.8, 2.1, 2.4, 3.9};
  static final double BANDWIDTH = 1.1400378694830327;
  static final double[] DENSITY = {0.015994016183610738, 0.08308067996856863, 0.17854776052360963,
      0.18879663642513617, 0.13094280163370048, 0.05852223956630113, 0.009651343040169647};

  @Test
  void matchesScipyOnALinspaceGrid() {
    GaussianKde k = GaussianKde.of(SAMPLE);
    assertThat(k.bandwidth(), closeTo(BANDWIDTH, 1e-14));
    double[] d = k.density(GaussianKde.grid(-3, 6, 7));
    for (int i = 0; i < d.length; i++) {
      assertThat("point " + i, d[i], closeTo(DENSITY[i], 1e-14));
    }
  }

  /*
   * w = [10.0, 11.5, 11.5, 13.0, 20.0]; k = gaussian_kde(w)
   * k.factor * np.std(w, ddof=1);  k([9.0, 11.5, 16.0, 25.0])
   */
  @Test
  void matchesScipyWithTiesAndAnOutlier() {
    GaussianKde k = GaussianKde.of(new double[] {10.0, 11.5, 11.5, 13.0, 20.0});
    assertThat(k.bandwidth(), closeTo(2.8603555916559986, 1e-13));
    double[] expected = {0.07482791502669614, 0.1047484743402172, 0.04586091892201703, 0.006058449299129911};
    double[] d = k.density(new double[] {9.0, 11.5, 16.0, 25.0});
    for (int i = 0; i < d.length; i++) {
      assertThat("point " + i, d[i], closeTo(expected[i], 1e-14));
    }
  }

  @Test
  void integratesToOne() {
    double[] g = GaussianKde.grid(-12, 15, 2001);
    double[] d = GaussianKde.of(SAMPLE).density(g);
    double area = 0;
    for (int i = 1; i < g.length; i++) {
      area += 0.5 * (d[i] + d[i - 1]) * (g[i] - g[i - 1]);
    }
    assertThat(area, closeTo(1, 1e-9));
  }

  @Test
  void undefinedForFewerThanTwoOrEqualValuesIsZero() {
    for (double[] v : new double[][] {{}, {2.0}, {3.0, 3.0, 3.0}}) {
      GaussianKde k = GaussianKde.of(v);
      assertThat(k.defined(), is(false));
      assertThat(k.density(3.0), is(0.0));
    }
  }

  @Test
  void gridIsLinspaceAndNonFiniteValuesAreRejected() {
    assertThat(GaussianKde.grid(-3, 6, 7)[1], is(-1.5));
    assertThat(GaussianKde.grid(0.1, 0.7, 7)[6], is(0.7));
    assertThrows(IllegalArgumentException.class, () -> GaussianKde.of(new double[] {1, Double.NaN}));
  }
}
