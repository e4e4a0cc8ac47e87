package org.chexaudit.pipelines.report;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

class NewcombeIntervalTest {
  /**
   * statsmodels 0.13 (Debian python3-statsmodels):
   * {@code confint_proportions_2indep(x1, n1, x2, n2, method='newcomb', compare='diff')}.
   */
  @Test
  void matchesStatsmodels() {
    check(56, 70, 48, 80, 0.05243147240236498, 0.33387265403690614);
    check(9, 10, 3, 10, 0.1705227239345029, 0.809017973535488);
    check(0, 20, 5, 25, -0.3913095036954034, -0.004117448685351827);
    check(30, 30, 20, 25, 0.04095928891677511, 0.3913095036954034);
  }

  private static void check(long x1, long n1, long x2, long n2, double lo, double hi) {
    NewcombeInterval ci = NewcombeInterval.of(x1, n1, x2, n2);
    assertThat(ci.difference(), closeTo((double) x1 / n1 - (double) x2 / n2, 1e-12));
    assertThat(ci.lo(), closeTo(lo, 1e-9));
    assertThat(ci.hi(), closeTo(hi, 1e-9));
    assertThat(ci.containsZero(), is(lo <= 0 && hi >= 0));
  }
}
