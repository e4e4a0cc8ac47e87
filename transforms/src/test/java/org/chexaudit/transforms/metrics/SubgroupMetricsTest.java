package org.chexaudit.transforms.metrics;

import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.transforms.io.IdHash;

import org.chexaudit.transforms.coders.ScoredRowBatchCoder;
import org.chexaudit.transforms.coders.ScoredRowCoder;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.chexaudit.schemas.MetricInterval;
import org.chexaudit.schemas.SubgroupMetric;
import org.chexaudit.schemas.TprGap;
import org.chexaudit.core.stats.BootstrapInterval;
import org.chexaudit.core.stats.FprTargetRule;
import org.chexaudit.core.stats.ScoreSegments;
import org.chexaudit.core.stats.ScoredRowBatch;
import org.chexaudit.core.stats.SegmentLayout;
import org.chexaudit.core.stats.SegmentedResample;
import org.chexaudit.core.stats.ThresholdRule;
import org.chexaudit.core.stats.ThresholdScope;
import org.apache.beam.sdk.values.PCollectionList;

import org.chexaudit.core.stats.SubgroupEvaluator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Spec E2 vectors through the Beam transforms (Direct runner). */
@ExtendWith(TestPipelineExtension.class)
class SubgroupMetricsTest {
  static final int[] Y = {0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0};
  static final double[] S = {0.10, 0.40, 0.35, 0.80, 0.20, 0.90, 0.30, 0.60, 0.70, 0.05, 0.55, 0.15,
      0.45, 0.65, 0.25, 0.50, 0.12, 0.95, 0.33, 0.60};
  static final String[] RACE = "W W A B W W A W B W W A B W W W B W A W".split(" ");
  static final String[] SEX = "F M F M F M F M F M F M F M F M F M F M".split(" ");

  static List<ScoredRow> rows() {
    List<ScoredRow> rows = new ArrayList<>();
    for (int i = 0; i < Y.length; i++) {
      rows.add(ScoredRow.of(String.format("img%02d", i), "p" + (i / 2), new double[] {S[i]}, new int[] {Y[i]},
          new String[] {SEX[i], i == 19 ? null : RACE[i]}));
    }
    return rows;
  }

  static Map<String, SubgroupMetric> byKey(Iterable<SubgroupMetric> ms) {
    Map<String, SubgroupMetric> out = new LinkedHashMap<>();
    ms.forEach(m -> out.put(m.getAttribute() + "/" + m.getGroup(), m));
    return out;
  }

  @Test
  void goldenMetricsPerSubgroupAndIntersection(TestPipeline p) {
    goldenMetrics(p, SubgroupMetrics.of(List.of("nf"), List.of("sex", "race"), List.of("race", "sex", "sex*race")));
  }

  /** The same golden values with the 20 scores split into segments of about 3 (7 segments). */
  @Test
  void goldenMetricsFromSegmentsOfThreeScores(TestPipeline p) {
    goldenMetrics(p, SubgroupMetrics.of(List.of("nf"), List.of("sex", "race"), List.of("race", "sex", "sex*race"))
        .withSegmentTarget(3));
  }

  /** The same with every (subgroup, segment) record grouped through one key shard, and through three. */
  @Test
  void goldenMetricsWithFewKeyShards(TestPipeline p) {
    SubgroupMetrics m = SubgroupMetrics.of(List.of("nf"), List.of("sex", "race"), List.of("race", "sex", "sex*race"))
        .withSegmentTarget(3);
    goldenMetrics(p, m.withKeyShards(1), "OneShard");
    goldenMetrics(p, m.withKeyShards(3), "ThreeShards");
    p.run().waitUntilFinish();
  }

  /**
   * The same golden values from rows that come in batches: two batches, the second in reverse order, so each
   * numbers its groups and attribute combinations its own way.
   */
  @Test
  void goldenMetricsFromBatches(TestPipeline p) {
    List<ScoredRow> rows = rows();
    List<ScoredRow> back = new ArrayList<>(rows.subList(11, rows.size()));
    java.util.Collections.reverse(back);
    List<ScoredRowBatch> batches = new ArrayList<>();
    for (List<ScoredRow> part : List.of(rows.subList(0, 11), back)) {
      ScoredRowBatch.Builder b = ScoredRowBatch.builder(1, 2);
      part.forEach(b::add);
      batches.add(b.build());
    }
    PCollection<SubgroupMetric> metrics = p.apply(Create.of(batches).withCoder(ScoredRowBatchCoder.of()))
        .apply(SubgroupMetrics.of(List.of("nf"), List.of("sex", "race"), List.of("race", "sex", "sex*race"))
            .withSegmentTarget(3).withMinGroupSize(2).onBatches());
    PAssert.that(metrics).satisfies(ms -> {
      checkGolden(byKey(ms));
      return null;
    });
    p.run().waitUntilFinish();
  }

  private static void goldenMetrics(TestPipeline p, SubgroupMetrics transform) {
    goldenMetrics(p, transform, "Golden");
    p.run().waitUntilFinish();
  }

  private static void goldenMetrics(TestPipeline p, SubgroupMetrics transform, String name) {
    PCollection<SubgroupMetric> metrics = p.apply("Rows" + name, Create.of(rows()).withCoder(ScoredRowCoder.of()))
        .apply(name, transform.withMinGroupSize(2));
    PAssert.that(name, metrics).satisfies(ms -> {
      checkGolden(byKey(ms));
      return null;
    });
  }

  private static void checkGolden(Map<String, SubgroupMetric> m) {
    SubgroupMetric all = m.get("all/all");
    assertThat(all.getThreshold(), is(0.60));
    assertThat(all.getAuc(), closeTo(0.9230769230769231, 1e-12));
    assertThat(all.getTpr(), closeTo(5 / 7.0, 1e-12));
    assertThat(all.getFpr(), closeTo(2 / 13.0, 1e-12));
    // row 19 (W, s=0.60, y=0) has no race: W is the golden W minus that row
    SubgroupMetric w = m.get("race/W");
    assertThat(w.getN(), is(11L));
    assertThat(w.getTpr(), closeTo(0.75, 1e-12));
    assertThat(w.getFpr(), closeTo(1 / 7.0, 1e-12));
    assertThat(m.get("race/A").getTpr(), is(0.0));
    assertThat(m.get("race/B").getAuc(), closeTo(1.0, 1e-12));
    // intersections; F*B has 3 rows (2 positives), M*B has 1 row -> insufficient
    assertThat(m.get("sex*race/F*B").getN(), is(3L));
    assertThat(m.get("sex*race/M*B").getNote().toString(), is("insufficient data: n=1 < minGroupSize=2"));
    assertThat(m.get("sex*race/M*B").getTpr(), nullValue());
    // a group without positives: AUC empty with a note
    SubgroupMetric mw = m.get("sex*race/M*A");
    assertThat(mw == null || mw.getAuc() == null, is(true));
  }

  /**
   * Five hundred rows (continuous and tied scores, two labels, three groupings) give the same records
   * in one segment per label and in segments of about 60 scores, with a global FPR rule and with
   * max-F1 per group (the other rules are compared segment by segment in SegmentedCurveTest): AUC, counts,
   * thresholds and ROC points exactly, average precision and calibration to rounding.
   */
  @Test
  void segmentSizeDoesNotChangeTheMetrics(TestPipeline p) {
    java.util.Random random = new java.util.Random(17);
    List<ScoredRow> rows = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      int y0 = random.nextInt(4) == 0 ? 1 : 0;
      int y1 = random.nextInt(2);
      double s0 = Math.min(1, Math.max(0, 0.4 + 0.2 * random.nextGaussian() + 0.2 * y0));
      double s1 = Math.round(10 * Math.min(1, Math.max(0, 0.5 + 0.3 * random.nextGaussian() + 0.1 * y1))) / 10.0;
      rows.add(ScoredRow.of("r" + i, "p" + i / 3, new double[] {s0, s1}, new int[] {y0, y1},
          new String[] {random.nextBoolean() ? "F" : "M", "R" + random.nextInt(4)}));
    }
    PCollection<ScoredRow> input = p.apply(Create.of(rows).withCoder(ScoredRowCoder.of()));
    List<String> labels = List.of("a", "b");
    List<String> attributes = List.of("sex", "race");
    List<String> groupings = List.of("sex", "race", "sex*race");
    int k = 0;
    for (SubgroupMetrics m : List.of(
        SubgroupMetrics.of(labels, attributes, groupings),
        SubgroupMetrics.of(labels, attributes, groupings).withRule(ThresholdRule.parse("maxf1"))
            .withScope(ThresholdScope.PER_GROUP).withMinGroupSize(40))) {
      PCollection<SubgroupMetric> whole = input.apply("Whole" + k, m);
      PCollection<SubgroupMetric> segmented = input.apply("Segmented" + k, m.withSegmentTarget(60));
      PAssert.that(PCollectionList.of(whole).and(segmented)
          .apply("Pair" + k, org.apache.beam.sdk.transforms.Flatten.pCollections())).satisfies(all -> {
            Map<String, List<SubgroupMetric>> byCell = new LinkedHashMap<>();
            all.forEach(r -> byCell.computeIfAbsent(r.getLabel() + "/" + r.getAttribute() + "/" + r.getGroup(),
                x -> new ArrayList<>()).add(r));
            assertThat(byCell.size(), is(2 * (1 + 2 + 4 + 8)));
            byCell.forEach((cell, pair) -> {
              assertThat(cell, pair.size(), is(2));
              SubgroupMetric a = SubgroupMetric.newBuilder(pair.get(0)).build(); // copies: inputs must not change
              SubgroupMetric b = SubgroupMetric.newBuilder(pair.get(1)).build();
              assertThat(cell + " AP", b.getAuprc(), closeTo(a.getAuprc(), 1e-12));
              assertThat(cell + " ECE", b.getEce(), closeTo(a.getEce(), 1e-12));
              a.setAuprc(null);
              b.setAuprc(null);
              a.setEce(null);
              b.setEce(null);
              for (int i = 0; i < a.getReliability().size(); i++) {
                assertThat(b.getReliability().get(i).getMeanPredicted(),
                    closeTo(a.getReliability().get(i).getMeanPredicted(), 1e-12));
                b.getReliability().get(i).setMeanPredicted(a.getReliability().get(i).getMeanPredicted());
              }
              assertThat(cell, b, is(a));
            });
            return null;
          });
      k++;
    }
    // the Direct runner's immutability check walks the whole graph for every bundle, and every segment key
    // is a bundle; the check stays on in the golden tests above
    p.getOptions().as(org.apache.beam.runners.direct.DirectOptions.class).setEnforceImmutability(false);
    p.run().waitUntilFinish();
  }

  @Test
  void groupWithoutPositivesHasNoAucAndANote(TestPipeline p) {
    List<ScoredRow> rows = List.of(
        ScoredRow.of("a", null, new double[] {0.9}, new int[] {1}, new String[] {"x"}),
        ScoredRow.of("b", null, new double[] {0.1}, new int[] {0}, new String[] {"x"}),
        ScoredRow.of("c", null, new double[] {0.4}, new int[] {0}, new String[] {"y"}),
        ScoredRow.of("d", null, new double[] {0.7}, new int[] {0}, new String[] {"y"}));
    PCollection<SubgroupMetric> metrics = p.apply(Create.of(rows).withCoder(ScoredRowCoder.of()))
        .apply(SubgroupMetrics.of(List.of("l"), List.of("g"), List.of("g")));
    PAssert.that(metrics).satisfies(ms -> {
      SubgroupMetric y = byKey(ms).get("g/y");
      assertThat(y.getAuc(), nullValue());
      assertThat(y.getTpr(), nullValue());
      assertThat(y.getNote().toString(), is("no positives: AUC and TPR undefined"));
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void bootstrapEqualsSequentialComputationAndDisparityHasIntervals(TestPipeline p) {
    PCollection<ScoredRow> input = p.apply(Create.of(rows()).withCoder(ScoredRowCoder.of()));
    Bootstrap bootstrap = Bootstrap.of(List.of("nf"), List.of("sex", "race"), List.of("race")).withReplicates(200).withSeed(9);
    Sample golden = new Sample(Y, S, Arrays.copyOf(RACE, 19));
    checkAgainstSequentialDraws(input, "OneBlock", bootstrap, ScoreSegments.DEFAULT_TARGET, golden, 1);
    // five blocks of about four rows: the same draws made block by block
    checkAgainstSequentialDraws(input, "FiveBlocks", bootstrap.withSegmentTarget(4), 4, golden, 5);
    PCollection<MetricInterval> intervals = input.apply(bootstrap);
    PCollection<TprGap> gaps = input
        .apply("Metrics", SubgroupMetrics.of(List.of("nf"), List.of("sex", "race"), List.of("race")))
        .apply(TprDisparity.create().withIntervals(intervals));
    PAssert.that(gaps).satisfies(gs -> {
      Map<String, TprGap> m = new LinkedHashMap<>();
      gs.forEach(g -> m.put(g.getGroup().toString(), g));
      // TPRs W .75, A 0, B 1 -> median .75; share of positives W 4/7, A 1/7, B 2/7
      assertThat(m.get("W").getTprGap(), closeTo(0.0, 1e-12));
      assertThat(m.get("A").getTprGap(), closeTo(-0.75, 1e-12));
      assertThat(m.get("B").getTprGap(), closeTo(0.25, 1e-12));
      assertThat(m.get("B").getShareOfPositives(), closeTo(2 / 7.0, 1e-12));
      assertThat(m.get("B").getGapHi() != null, is(true));
      return null;
    });
    p.run().waitUntilFinish();
  }

  /**
   * A tie larger than the block size is split by row into several blocks, whose histograms are merged per
   * replicate: 400 rows, 150 of them scored exactly 0.0 and 60 exactly 1.0, in blocks of 16 rows.
   */
  @Test
  void bootstrapSplitsATieLargerThanABlock(TestPipeline p) {
    SplittableRandom random = new SplittableRandom(17);
    int n = 400;
    int[] y = new int[n];
    double[] s = new double[n];
    String[] race = new String[n];
    List<ScoredRow> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      s[i] = i < 150 ? 0.0 : i < 210 ? 1.0 : random.nextInt(40) / 40.0;
      y[i] = random.nextDouble() < 0.2 + 0.6 * s[i] ? 1 : 0;
      race[i] = new String[] {"W", "A", "B"}[random.nextInt(3)];
      rows.add(ScoredRow.of(String.format("img%02d", i), "p" + i, new double[] {s[i]}, new int[] {y[i]},
          new String[] {i % 2 == 0 ? "F" : "M", race[i]}));
    }
    SegmentLayout layout = SegmentLayout.of(s, 16);
    assertThat(layout.parts(layout.segmentOf(0.0)), is(10));
    assertThat(layout.parts(layout.segmentOf(1.0)), is(4));
    PCollection<ScoredRow> input = p.apply(Create.of(rows).withCoder(ScoredRowCoder.of()));
    Bootstrap bootstrap = Bootstrap.of(List.of("nf"), List.of("sex", "race"), List.of("race")).withReplicates(200)
        .withSeed(9).withSegmentTarget(16);
    checkAgainstSequentialDraws(input, "SplitTies", bootstrap, 16, new Sample(y, s, race), 29);
    p.run().waitUntilFinish();
  }

  /** Rows' targets, scores and races (rows past the races' end have none); ids are imgNN. */
  private record Sample(int[] y, double[] s, String[] race) {}

  /**
   * The Beam bootstrap against the same draws made in one thread ({@link SegmentedResample} with the
   * rows' blocks and id hashes) and evaluated by {@link SubgroupEvaluator}, itself checked against
   * scikit-learn: bounds and estimates equal exactly.
   */
  private static void checkAgainstSequentialDraws(PCollection<ScoredRow> input, String name, Bootstrap bootstrap,
      long segmentTarget, Sample sample, int expectedBlocks) {
    int[] y = sample.y();
    double[] s = sample.s();
    SegmentLayout layout = SegmentLayout.of(s, segmentTarget);
    long[] block = new long[y.length];
    long[] tie = new long[y.length];
    String[] strata = new String[y.length];
    for (int i = 0; i < y.length; i++) {
      tie[i] = IdHash.of(String.format("img%02d", i));
      block[i] = layout.blockOf(s[i], tie[i]);
      strata[i] = Integer.toString(y[i]);
    }
    assertThat(name, Arrays.stream(block).distinct().count(), is((long) expectedBlocks));
    Map<String, int[]> groups = new LinkedHashMap<>();
    Map<String, String> attributeOf = new LinkedHashMap<>();
    for (String g : new String[] {"W", "A", "B"}) {
      groups.put(g, IntStream.range(0, sample.race().length).filter(i -> sample.race()[i].equals(g)).toArray());
      attributeOf.put(g, "race");
    }
    SubgroupEvaluator ev = SubgroupEvaluator.of(y, s, groups, attributeOf, FprTargetRule.of(0.2));
    double[][] expected = BootstrapInterval.run(ev, SegmentedResample.of(strata, block, s, tie), 9, 200, 0.95);
    double[] point = ev.evaluate(null);
    PAssert.that(input.apply(name, bootstrap)).satisfies(xs -> {
      Map<String, MetricInterval> m = new LinkedHashMap<>();
      xs.forEach(i -> m.put(i.getAttribute() + "/" + i.getGroup() + "/" + i.getMetric(), i));
      MetricInterval auc = m.get("all/all/AUC");
      assertThat(auc.getLabel().toString(), is("nf"));
      assertThat(auc.getLower(), is(expected[SubgroupEvaluator.index(-1, 0)][0]));
      assertThat(auc.getUpper(), is(expected[SubgroupEvaluator.index(-1, 0)][1]));
      assertThat(auc.getEstimate(), is(point[SubgroupEvaluator.index(-1, 0)]));
      assertThat(auc.getReplicates(), is(200));
      assertThat(auc.getLevel(), is(0.95));
      assertThat(m.containsKey("all/all/TPR_GAP"), is(false));
      assertThat(m.size(), is(3 + 3 * 4));
      for (int g = -1; g < 3; g++) {
        String cell = g < 0 ? "all/all/" : "race/" + new String[] {"W", "A", "B"}[g] + "/";
        for (int k = 0; k < 4; k++) {
          if (g < 0 && k == 3) {
            continue;
          }
          MetricInterval x = m.get(cell + new String[] {"AUC", "TPR", "FPR", "TPR_GAP"}[k]);
          assertThat(name + " " + cell + k, orNaN(x.getLower()), is(expected[SubgroupEvaluator.index(g, k)][0]));
          assertThat(name + " " + cell + k, orNaN(x.getUpper()), is(expected[SubgroupEvaluator.index(g, k)][1]));
          assertThat(name + " " + cell + k, orNaN(x.getEstimate()), is(point[SubgroupEvaluator.index(g, k)]));
        }
      }
      return null;
    });
  }

  private static double orNaN(Double v) {
    return v == null ? Double.NaN : v;
  }
}
