package org.chexaudit.core.chexclusion;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.chexaudit.core.stats.TprGaps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Aggregation over runs (spec B7): means, 1.96·sd/√k, Distance, summary counts, correlations. */
class SeedAggregationTest {
  private static final double EPS = 1e-12;
  private static final List<String> LABELS = List.of("Cardiomegaly", "No Finding");
  private static final DisparityAttribute AGE = DisparityAttribute.of("age", TprGaps.Rule.MEDIAN)
      .withOrder(List.of("a", "b", "c"));

  /**
   * A run whose label l has {@code counts[l][g] = {positives, truePositives}} in group g (gaps by the
   * median rule, as TprDisparity computes them); AUC 0.8 + l/10 + (true positives of label 0's first group)/100,
   * so the runs' AUCs differ.
   */
  static RunEvaluation run(int[][][] counts) {
    String[] groups = {"a", "b", "c"};
    List<LabelScore> scores = new ArrayList<>();
    Map<String, List<GroupGap>> byLabel = new LinkedHashMap<>();
    for (int l = 0; l < 2; l++) {
      scores.add(new LabelScore(LABELS.get(l), 0.9, 0.8 + l / 10.0 + counts[0][0][1] / 100.0, 0.7));
      List<TprGaps.GroupCounts> c = new ArrayList<>();
      long total = 0;
      for (int g = 0; g < 3; g++) {
        c.add(new TprGaps.GroupCounts(groups[g], counts[l][g][0], counts[l][g][1]));
        total += counts[l][g][0];
      }
      List<TprGaps.Gap> gaps = TprGaps.of(c, TprGaps.Rule.MEDIAN);
      List<GroupGap> row = new ArrayList<>();
      for (int g = 0; g < 3; g++) {
        row.add(new GroupGap(groups[g], counts[l][g][0], counts[l][g][1], gaps.get(g).tpr, gaps.get(g).gap,
            (double) counts[l][g][0] / total));
      }
      byLabel.put(LABELS.get(l), row);
    }
    return RunEvaluation.of(LABELS, scores, Map.of("age", byLabel));
  }

  /** Cardiomegaly TPRs per run: (.8,.6,.5), (.7,.6,.4), (.9,.5,none); No Finding always (.2,.5,.9). */
  static List<RunEvaluation> runs() {
    int[][] noFinding = {{10, 2}, {10, 5}, {10, 9}};
    return List.of(
        run(new int[][][] {{{10, 8}, {10, 6}, {10, 5}}, noFinding}),
        run(new int[][][] {{{10, 7}, {10, 6}, {10, 4}}, noFinding}),
        run(new int[][][] {{{10, 9}, {10, 5}, {0, 0}}, noFinding}));
  }

  @Test
  void meanGapIntervalAndDistanceOverRuns() {
    // gaps: a [.2,.1,.2], b [0,0,-.2], c [-.1,-.2,NaN] (run 3: median of {.9,.5} = .7)
    // numpy: a mean .16666666666666666 ci .06533333333333334; b -.06666666666666667 .13066666666666668;
    // c (defined in two of three runs) -.15000000000000002, ci 1.96*std/sqrt(3 runs) = .08001666493091718
    // (Confidence.py divides by the number of runs, not of defined values; benchmarks/reference/metrics_fidelity.py);
    // Distance .31666666666666665
    MeanDisparity d = MeanDisparity.of(AGE, runs());
    assertThat(d.rows().stream().map(MeanDisparity.Row::label).toList(), contains("Cardiomegaly", "No Finding"));
    MeanDisparity.Row cardio = d.rows().get(0);
    assertThat(cardio.group("a").gap(), closeTo(0.16666666666666666, 1e-9));
    assertThat(cardio.group("a").ci(), closeTo(0.06533333333333334, 1e-9));
    assertThat(cardio.group("b").gap(), closeTo(-0.06666666666666667, 1e-9));
    assertThat(cardio.group("b").ci(), closeTo(0.13066666666666668, 1e-9));
    assertThat(cardio.group("c").gap(), closeTo(-0.15, 1e-9));
    assertThat(cardio.group("c").ci(), closeTo(0.08001666493091718, 1e-9));
    assertThat(cardio.distance(), closeTo(0.31666666666666665, 1e-9));
    assertThat(cardio.group("a").share(), closeTo((1 / 3.0 + 1 / 3.0 + 0.5) / 3, EPS));
    MeanDisparity.Row nf = d.rows().get(1);
    assertThat(nf.distance(), closeTo(0.7, 1e-9));
    assertThat(nf.group("a").ci(), closeTo(0.0, EPS));
    assertThat(d.averageDistance(), closeTo((0.31666666666666665 + 0.7) / 2, 1e-9));
  }

  @Test
  void summaryCountsLeaveOutExcludedLabels() {
    MeanDisparity d = MeanDisparity.of(AGE, runs());
    DisparitySummary without = DisparitySummary.of(d, Set.of("No Finding"));
    assertThat(without.counts(), contains(new DisparitySummary.GroupCount("a", 0, 1),
        new DisparitySummary.GroupCount("b", 1, 0), new DisparitySummary.GroupCount("c", 1, 0)));
    // No Finding: a -.3, b 0 (neither sign), c +.4
    DisparitySummary with = DisparitySummary.of(d, Set.of());
    assertThat(with.counts(), contains(new DisparitySummary.GroupCount("a", 1, 1),
        new DisparitySummary.GroupCount("b", 1, 0), new DisparitySummary.GroupCount("c", 1, 1)));
  }

  @Test
  void aucSummaryOverRuns() {
    AucSummary auc = AucSummary.of(runs());
    assertThat(auc.rows().size(), is(2));
    double[] means = runs().stream().mapToDouble(RunEvaluation::meanAuc).toArray();
    assertThat(auc.meanAuc(), closeTo((means[0] + means[1] + means[2]) / 3, EPS));
  }

  @Test
  void correlationNeedsThreeLabels() {
    List<GapShareCorrelation.Row> rows = GapShareCorrelation.of(MeanDisparity.of(AGE, runs()), 0.05 / 33);
    assertThat(rows.size(), is(3));
    assertThat(rows.get(0).n(), is(2));
    assertThat(Double.isNaN(rows.get(0).r()) && !rows.get(0).significant(), is(true));
  }

  @Test
  void wantFileColumns(@TempDir Path dir) throws Exception {
    ChexclusionCsv.writeMeanDisparity(dir.resolve("WantAge.csv"), MeanDisparity.of(AGE, runs()));
    List<String> lines = Files.readAllLines(dir.resolve("WantAge.csv"));
    assertThat(lines.get(0), is("diseases,Distance,%a,Gap_a_mean,CI_a,%b,Gap_b_mean,CI_b,%c,Gap_c_mean,CI_c"));
    assertThat(lines.size(), is(3));
    assertThat(lines.get(1).startsWith("Cardiomegaly,0.316666"), is(true));
  }

  @Test
  void groupsMissingFromARunAreNanInThatRun() {
    Map<String, List<GroupGap>> gaps = runs().get(2).gaps("age");
    assertThat(Double.isNaN(gaps.get("Cardiomegaly").get(2).gap()), is(true));
  }
}
