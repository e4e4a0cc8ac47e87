package org.chexaudit.transforms.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollection;
import org.chexaudit.core.stats.FixedThresholdRule;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.core.stats.ThresholdScope;
import org.chexaudit.core.stats.YoudenRule;
import org.chexaudit.schemas.MetricInterval;
import org.chexaudit.schemas.SubgroupMetric;
import org.chexaudit.schemas.TprGap;
import org.chexaudit.transforms.coders.ScoredRowCoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 14 items 1–3 through the Beam transforms. Constants from
 * {@code benchmarks/reference/metrics_fidelity.py} (scikit-learn {@code roc_curve}, the original's
 * complement formula).
 */
@ExtendWith(TestPipelineExtension.class)
class GapRuleAndScopeTest {
  private static final double EPS = 1e-12;

  /** The spec E2 vectors with every row's race present. */
  private static List<ScoredRow> golden() {
    List<ScoredRow> rows = new ArrayList<>();
    for (int i = 0; i < SubgroupMetricsTest.Y.length; i++) {
      rows.add(ScoredRow.of(String.format("img%02d", i), null, new double[] {SubgroupMetricsTest.S[i]},
          new int[] {SubgroupMetricsTest.Y[i]}, new String[] {SubgroupMetricsTest.RACE[i]}));
    }
    return rows;
  }

  /** Per sex group: {@code positives} positives of which the first {@code tp} score 0.9, plus one negative. */
  private static List<ScoredRow> sexRows(Object... groupPositivesTp) {
    List<ScoredRow> rows = new ArrayList<>();
    for (int k = 0; k < groupPositivesTp.length; k += 3) {
      String g = (String) groupPositivesTp[k];
      int pos = (Integer) groupPositivesTp[k + 1];
      int tp = (Integer) groupPositivesTp[k + 2];
      for (int i = 0; i < pos; i++) {
        rows.add(ScoredRow.of(g + i, null, new double[] {i < tp ? 0.9 : 0.1}, new int[] {1}, new String[] {g}));
      }
      rows.add(ScoredRow.of(g + "n", null, new double[] {0.1}, new int[] {0}, new String[] {g}));
    }
    return rows;
  }

  private static Map<String, TprGap> byGroup(Iterable<TprGap> gaps) {
    Map<String, TprGap> out = new LinkedHashMap<>();
    gaps.forEach(g -> out.put(g.getGroup().toString(), g));
    return out;
  }

  @Test
  void perGroupScopeTakesEachRaceGroupsOwnYoudenPoint(TestPipeline p) {
    // results_split_sex.py: W 0.65 (tpr .75), A 0.35 (tpr 1), B 0.7 (tpr 1); the whole set keeps 0.65
    PCollection<SubgroupMetric> metrics = p.apply(Create.of(golden()).withCoder(ScoredRowCoder.of()))
        .apply(SubgroupMetrics.of(List.of("sex"), List.of("race"), List.of("race"))
            .withRule(YoudenRule.create()).withScope(ThresholdScope.PER_GROUP));
    PAssert.that(metrics).satisfies(ms -> {
      Map<String, SubgroupMetric> m = SubgroupMetricsTest.byKey(ms);
      assertThat(m.get("all/all").getThreshold(), is(0.65));
      assertThat(m.get("race/W").getThreshold(), is(0.65));
      assertThat(m.get("race/W").getTpr(), closeTo(0.75, EPS));
      assertThat(m.get("race/A").getThreshold(), is(0.35));
      assertThat(m.get("race/A").getTpr(), closeTo(1.0, EPS));
      assertThat(m.get("race/A").getFpr(), closeTo(0.0, EPS));
      assertThat(m.get("race/B").getThreshold(), is(0.7));
      assertThat(m.get("race/B").getTpr(), closeTo(1.0, EPS));
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void sexKeepsTheComplementRuleWithAnUnknownGroup(TestPipeline p) {
    // F -0.09999999999999998, M 0.16666666666666663, Unknown -0.16666666666666663
    PCollection<TprGap> gaps = p.apply(Create.of(sexRows("F", 10, 6, "M", 8, 6, "Unknown", 2, 1))
            .withCoder(ScoredRowCoder.of()))
        .apply(SubgroupMetrics.of(List.of("x"), List.of("sex"), List.of("sex")).withRule(FixedThresholdRule.of(0.5)))
        .apply(TprDisparity.create());
    PAssert.that(gaps).satisfies(gs -> {
      Map<String, TprGap> m = byGroup(gs);
      assertThat(m.get("F").getTprGap(), closeTo(-0.09999999999999998, EPS));
      assertThat(m.get("M").getTprGap(), closeTo(0.16666666666666663, EPS));
      assertThat(m.get("Unknown").getTprGap(), closeTo(-0.16666666666666663, EPS));
      assertThat(m.get("F").getPositives(), is(10L));
      assertThat(m.get("F").getTruePositives(), is(6L));
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void aGroupDroppedByMinGroupSizeDoesNotSwitchSexToTheMedian(TestPipeline p) {
    // M has 2 rows < minGroupSize 3: F vs Unknown by complement, F 0.09999999999999998 (median rule: 0.05)
    PCollection<TprGap> gaps = p.apply(Create.of(sexRows("F", 10, 6, "M", 1, 1, "Unknown", 2, 1))
            .withCoder(ScoredRowCoder.of()))
        .apply(SubgroupMetrics.of(List.of("x"), List.of("sex"), List.of("sex")).withRule(FixedThresholdRule.of(0.5))
            .withMinGroupSize(3))
        .apply(TprDisparity.create());
    PAssert.that(gaps).satisfies(gs -> {
      Map<String, TprGap> m = byGroup(gs);
      assertThat(m.get("F").getTprGap(), closeTo(0.09999999999999998, EPS));
      assertThat(m.get("Unknown").getTprGap(), closeTo(-0.09999999999999998, EPS));
      assertThat(m.get("M").getTprGap(), nullValue());
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void sexWithoutPositivesInTheOtherGroupIsUndefinedNotZero(TestPipeline p) {
    PCollection<TprGap> gaps = p.apply(Create.of(sexRows("F", 10, 6, "M", 0, 0)).withCoder(ScoredRowCoder.of()))
        .apply(SubgroupMetrics.of(List.of("x"), List.of("sex"), List.of("sex")).withRule(FixedThresholdRule.of(0.5)))
        .apply(TprDisparity.create());
    PAssert.that(gaps).satisfies(gs -> {
      Map<String, TprGap> m = byGroup(gs);
      assertThat(m.get("F").getTprGap(), nullValue());
      assertThat(m.get("M").getTprGap(), nullValue());
      return null;
    });
    p.run().waitUntilFinish();
  }

  /** Label a: (y, s); label b: (1 - y, 1 - s), so both have the same AUC on any common draw. */
  private static List<ScoredRow> mirroredLabels() {
    List<ScoredRow> rows = new ArrayList<>();
    for (int i = 0; i < SubgroupMetricsTest.Y.length; i++) {
      int y = SubgroupMetricsTest.Y[i];
      double s = SubgroupMetricsTest.S[i];
      rows.add(ScoredRow.of(String.format("img%02d", i), null, new double[] {s, 1 - s}, new int[] {y, 1 - y},
          new String[] {SubgroupMetricsTest.RACE[i], "class" + y}));
    }
    return rows;
  }

  private static Map<String, MetricInterval> aucs(Iterable<MetricInterval> intervals) {
    Map<String, MetricInterval> out = new LinkedHashMap<>();
    intervals.forEach(i -> {
      if (i.getAttribute().toString().equals("all") && i.getMetric().name().equals("AUC")) {
        out.put(i.getLabel().toString(), i);
      }
    });
    return out;
  }

  /**
   * Strata from a class column equal to label a's target (same partition, same name order) give label
   * a exactly the draws of stratifying on its own target; the column changes nothing else.
   */
  @Test
  void strataOnAColumnEqualToTheTargetDrawAsTheTarget(TestPipeline p) {
    PCollection<ScoredRow> rows = p.apply(Create.of(mirroredLabels()).withCoder(ScoredRowCoder.of()));
    Bootstrap bootstrap = Bootstrap.of(List.of("a", "b"), List.of("race", "cls"), List.of("race"))
        .withReplicates(100).withSeed(3);
    PCollection<MetricInterval> byColumn = rows.apply("ByColumn", bootstrap.withStrata("cls"));
    PCollection<MetricInterval> byTarget = rows.apply("ByTarget", bootstrap);
    PAssert.that(PCollectionList.of(byColumn).and(byTarget).apply(Flatten.pCollections())).satisfies(xs -> {
      List<MetricInterval> a = new ArrayList<>();
      xs.forEach(i -> {
        if (i.getLabel().toString().equals("a") && i.getAttribute().toString().equals("all")
            && i.getMetric().name().equals("AUC")) {
          a.add(i);
        }
      });
      assertThat(a.size(), is(2));
      assertThat(a.get(0), is(a.get(1)));
      return null;
    });
    // each label stratified on its own target draws independently
    PAssert.that(rows.apply("PerLabel", bootstrap)).satisfies(xs -> {
      Map<String, MetricInterval> m = aucs(xs);
      assertThat(List.of(m.get("a").getLower(), m.get("a").getUpper()),
          not(List.of(m.get("b").getLower(), m.get("b").getUpper())));
      return null;
    });
    p.run().waitUntilFinish();
  }
}
