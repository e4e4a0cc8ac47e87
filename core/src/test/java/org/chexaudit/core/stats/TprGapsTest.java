package org.chexaudit.core.stats;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CheXclusion's disparity rules (spec B6, E2) and run aggregation (B7). */
class TprGapsTest {
  private static final double EPS = 1e-12;

  @Test
  void medianRuleGoldenAgeExample() {
    // TPRs {60-80: .718, 40-60: .653, 20-40: .598, 80-: .761, 0-20: .482} as tp/1000
    List<TprGaps.Gap> gaps = TprGaps.of(List.of(
        new TprGaps.GroupCounts("60-80", 1000, 718), new TprGaps.GroupCounts("40-60", 1000, 653),
        new TprGaps.GroupCounts("20-40", 1000, 598), new TprGaps.GroupCounts("80-", 1000, 761),
        new TprGaps.GroupCounts("0-20", 1000, 482)), TprGaps.Rule.MEDIAN);
    double[] expected = {0.065, 0, -0.055, 0.108, -0.171};
    for (int i = 0; i < 5; i++) {
      assertThat(gaps.get(i).gap, closeTo(expected[i], 1e-12));
      assertThat(gaps.get(i).shareOfPositives, closeTo(0.2, EPS));
    }
  }

  @Test
  void medianOfEvenCountIsMeanOfMiddleTwo() {
    // MIMIC race example: median of 6 TPRs = (0.65798 + 0.69322) / 2
    assertThat(TprGaps.median(new double[] {0.7, 0.65798, 0.6, 0.69322, 0.8, 0.5}), closeTo(0.6756, EPS));
  }

  @Test
  void complementRuleForBinaryAttribute() {
    List<TprGaps.Gap> gaps = TprGaps.of(List.of(
        new TprGaps.GroupCounts("M", 40, 30), new TprGaps.GroupCounts("F", 60, 36)), TprGaps.Rule.COMPLEMENT);
    assertThat(gaps.get(0).gap, closeTo(0.75 - 0.6, EPS));
    assertThat(gaps.get(1).gap, closeTo(0.6 - 0.75, EPS));
    assertThat(gaps.get(0).shareOfPositives, closeTo(0.4, EPS));
  }

  @Test
  void undefinedGapStaysInPlace() {
    List<TprGaps.Gap> gaps = TprGaps.of(List.of(
        new TprGaps.GroupCounts("a", 10, 5), new TprGaps.GroupCounts("b", 0, 0),
        new TprGaps.GroupCounts("c", 10, 9)), TprGaps.Rule.MEDIAN);
    assertThat(gaps.get(1).group, is("b"));
    assertThat(Double.isNaN(gaps.get(1).gap), is(true));
    assertThat(gaps.get(1).shareOfPositives, is(0.0));
    assertThat(gaps.get(0).gap, closeTo(0.5 - 0.7, EPS));
    List<TprGaps.Gap> binary = TprGaps.of(List.of(
        new TprGaps.GroupCounts("M", 0, 0), new TprGaps.GroupCounts("F", 5, 1)), TprGaps.Rule.COMPLEMENT);
    assertThat(Double.isNaN(binary.get(0).gap) && Double.isNaN(binary.get(1).gap), is(true));
  }

  @Test
  void runAggregationMeanAndInterval() {
    // np.mean(runs) = 0.05; 1.96*np.std(runs, ddof=1)/np.sqrt(5) = 0.013859292911256331
    double[] runs = {0.05, 0.07, 0.03, 0.06, 0.04};
    assertThat(RunAggregate.mean(runs), closeTo(0.05, EPS));
    assertThat(RunAggregate.ciHalfWidth(runs), closeTo(0.013859292911256331, EPS));
    assertThat(RunAggregate.distance(0.057, -0.057), closeTo(0.114, EPS));
    assertThat(RunAggregate.distance(Map.of("a", 0.1, "b", Double.NaN, "c", -0.2)), closeTo(0.3, EPS));
  }

  @Test
  void pearsonAsScipy() {
    // scipy.stats.pearsonr on the complete pairs: r = 0.7480854499279154, p = 0.05312658372104919
    double[] gap = {0.065, 0.0, -0.055, 0.108, -0.171, 0.02, Double.NaN, 0.04};
    double[] pct = {0.30, 0.25, 0.10, 0.20, 0.05, 0.12, 0.3, 0.2};
    Correlation c = Correlation.pearson(gap, pct);
    assertThat(c.r(), closeTo(0.7480854499279154, 1e-12));
    assertThat(c.p(), closeTo(0.05312658372104919, 1e-10));
    assertThat(c.significant(Correlation.DEFAULT_BONFERRONI), is(false));
    // pearsonr(1..10, near-linear) = (0.9996910380633047, 3.9850791057307013e-14)
    Correlation strong = Correlation.pearson(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
        new double[] {2.1, 3.9, 6.2, 8.1, 9.8, 12.2, 13.9, 16.1, 18.2, 19.9});
    assertThat(strong.r(), closeTo(0.9996910380633047, 1e-12));
    assertThat(strong.p() / 3.9850791057307013e-14, closeTo(1, 1e-6));
    assertThat(strong.significant(Correlation.bonferroni(0.05, 33)), is(true));
  }
}
