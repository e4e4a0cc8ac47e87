package org.chexaudit.core.stats;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 items 1–4 against the originals' logic. Every constant is printed by
 * {@code benchmarks/reference/metrics_fidelity.py} (numpy 1.24, pandas 1.5, scikit-learn 1.2, scipy 1.10).
 */
class FidelityReferenceTest {
  private static final double EPS = 1e-12;

  private static Map<String, int[]> raceGroups() {
    Map<String, int[]> groups = new LinkedHashMap<>();
    for (String r : new String[] {"W", "A", "B"}) {
      groups.put(r, IntStream.range(0, Golden.G.length).filter(i -> Golden.G[i].equals(r)).toArray());
    }
    return groups;
  }

  @Test
  void perGroupYoudenIsEachGroupsOwnRocPoint() {
    // results_split_sex.py: argmax(tpr - fpr) on roc_curve of each race group
    // W threshold 0.65 tpr 0.75 fpr 0; A 0.35 tpr 1 fpr 0; B 0.7 tpr 1 fpr 0; global 0.65
    Map<String, SubgroupStats> perGroup = SubgroupEvaluator.of(Golden.Y, Golden.S, raceGroups(), YoudenRule.create())
        .withScope(ThresholdScope.PER_GROUP).pointStats();
    assertThat(perGroup.get("all").threshold(), is(0.65));
    assertThat(perGroup.get("W").threshold(), is(0.65));
    assertThat(perGroup.get("W").tpr(), closeTo(0.75, EPS));
    assertThat(perGroup.get("W").fpr(), closeTo(0.0, EPS));
    assertThat(perGroup.get("A").threshold(), is(0.35));
    assertThat(perGroup.get("A").tpr(), closeTo(1.0, EPS));
    assertThat(perGroup.get("A").youden(), closeTo(1.0, EPS));
    assertThat(perGroup.get("B").threshold(), is(0.7));
    assertThat(perGroup.get("B").tpr(), closeTo(1.0, EPS));
    // the global scope reads A at 0.65, where its only positive (0.35) is missed
    Map<String, SubgroupStats> global = SubgroupEvaluator.of(Golden.Y, Golden.S, raceGroups(), YoudenRule.create())
        .pointStats();
    assertThat(global.get("A").tpr(), closeTo(0.0, EPS));
  }

  @Test
  void perGroupScopeInBootstrapReplicatesUsesGroupThresholds() {
    SubgroupEvaluator ev = SubgroupEvaluator.of(Golden.Y, Golden.S, raceGroups(), YoudenRule.create())
        .withScope(ThresholdScope.PER_GROUP);
    double[] point = ev.evaluate(null);
    assertThat(point[SubgroupEvaluator.index(1, 1)], closeTo(1.0, EPS)); // A's TPR at its own threshold
  }

  @Test
  void sexKeepsTheComplementRuleWithAnUnknownGroup() {
    // Confidence/plot.py complement: rows with A != c and A != 0, so Unknown stays in the complement
    // F -0.09999999999999998, M 0.16666666666666663, Unknown -0.16666666666666663
    List<TprGaps.GroupCounts> counts = List.of(new TprGaps.GroupCounts("F", 10, 6),
        new TprGaps.GroupCounts("M", 8, 6), new TprGaps.GroupCounts("Unknown", 2, 1));
    List<TprGaps.Gap> gaps = TprGaps.of(counts, GapRules.CHEXCLUSION.ruleFor("sex"));
    assertThat(gaps.get(0).gap, closeTo(-0.09999999999999998, EPS));
    assertThat(gaps.get(1).gap, closeTo(0.16666666666666663, EPS));
    assertThat(gaps.get(2).gap, closeTo(-0.16666666666666663, EPS));
    assertThat(GapRules.CHEXCLUSION.ruleFor("age"), is(TprGaps.Rule.MEDIAN));
    assertThat(GapRules.CHEXCLUSION.ruleFor("sex*race"), is(TprGaps.Rule.MEDIAN));
  }

  @Test
  void complementWithoutPositivesIsNanNotZero() {
    // F 10/6, M without positives: len(n_gt) == 0 for F and gt == 0 for M -> both NaN
    // (the old two-groups-present switch fell back to the median of F alone, gap 0)
    List<TprGaps.Gap> gaps = TprGaps.of(List.of(new TprGaps.GroupCounts("F", 10, 6),
        new TprGaps.GroupCounts("M", 0, 0)), TprGaps.Rule.COMPLEMENT);
    assertThat(Double.isNaN(gaps.get(0).gap), is(true));
    assertThat(Double.isNaN(gaps.get(1).gap), is(true));
    List<TprGaps.Gap> alone = TprGaps.of(List.of(new TprGaps.GroupCounts("F", 10, 6)), TprGaps.Rule.COMPLEMENT);
    assertThat(Double.isNaN(alone.get(0).gap), is(true));
  }

  @Test
  void seedIntervalIsTheOriginalsFixedRunCountByDefault() {
    // Confidence.py: 1.96 * std / np.sqrt(5), std over the defined runs (pandas, ddof=1)
    double[] gapF = {0.05, 0.07, Double.NaN, 0.06, 0.04};
    double[] gapM = {-0.05, -0.06, -0.04, -0.07, -0.05};
    assertThat(RunAggregate.mean(gapF), closeTo(0.055, EPS));
    assertThat(SeedInterval.NORMAL.halfWidth(gapF), closeTo(0.011316065276116668, EPS));
    assertThat(SeedInterval.NORMAL.halfWidth(gapM), closeTo(0.009994078246641858, EPS));
    // t(0.975, k - 1) * std / sqrt(k), k defined runs
    assertThat(SeedInterval.STUDENT_T.halfWidth(gapF), closeTo(0.020542602567608797, 1e-10));
    assertThat(SeedInterval.STUDENT_T.halfWidth(gapM), closeTo(0.014157147769822749, 1e-10));
  }

  @Test
  void sexDistanceIsNanWhenEitherMeanGapIsNan() {
    Map<String, Double> both = new LinkedHashMap<>();
    both.put("F", 0.055);
    both.put("M", -0.054000000000000006);
    assertThat(RunAggregate.distanceOfAll(both), closeTo(0.10900000000000001, EPS));
    both.put("F", Double.NaN);
    assertThat(Double.isNaN(RunAggregate.distanceOfAll(both)), is(true));
    assertThat(RunAggregate.distance(both), is(0.0)); // the median-rule Distance ignores NaN instead
  }

  @Test
  void classStrataKeepEveryClassCountAndDependOnlyOnTheStrata() {
    String[] race = new String[30];
    for (int i = 0; i < race.length; i++) {
      race[i] = i < 15 ? "0" : i < 25 ? "1" : "2";
    }
    StratifiedResample scheme = StratifiedResample.ofClasses(race);
    for (int r = 1; r <= 20; r++) {
      int[] w = scheme.weights(5, r);
      assertThat(IntStream.range(0, 15).map(i -> w[i]).sum(), is(15));
      assertThat(IntStream.range(15, 25).map(i -> w[i]).sum(), is(10));
      assertThat(IntStream.range(25, 30).map(i -> w[i]).sum(), is(5));
    }
    // one draw per replicate for every label that shares the strata
    assertThat(StratifiedResample.ofClasses(race.clone()).weights(5, 7), is(scheme.weights(5, 7)));
    // a label's own 0/1 target gives a different draw
    int[] y = new int[30];
    y[3] = 1;
    y[20] = 1;
    assertThat(StratifiedResample.of(y).weights(5, 7), not(scheme.weights(5, 7)));
  }
}
