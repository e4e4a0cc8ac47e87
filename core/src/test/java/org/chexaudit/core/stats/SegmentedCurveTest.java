package org.chexaudit.core.stats;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A histogram split into score segments and read segment by segment gives the figures of the whole
 * histogram: AUC and average precision to rounding, every rule's threshold, the thinned ROC and the
 * counts at a threshold exactly. (The whole-histogram figures are themselves checked against
 * scikit-learn in RocCurveTest, AveragePrecisionTest, ThresholdRuleTest and CalibrationTest.)
 */
class SegmentedCurveTest {
  private static final List<ThresholdRule> RULES = List.of(ThresholdRule.parse("fpr:0.2"),
      FprTargetRule.of(0.2).withDropIntermediate(false), ThresholdRule.parse("youden"),
      ThresholdRule.parse("maxf1"), ThresholdRule.parse("fpr:0.0"));

  static Stream<Arguments> samples() {
    List<Arguments> cases = new ArrayList<>();
    // n, distinct score levels (0: continuous), positive rate, seed
    int[][] specs = {{1, 0, 50, 1}, {2, 0, 50, 2}, {3, 2, 50, 3}, {40, 5, 30, 4}, {500, 0, 20, 5},
        {500, 12, 40, 6}, {3000, 0, 10, 7}, {3000, 40, 50, 8}, {800, 3, 0, 9}, {800, 3, 100, 10},
        {2000, 1000, 25, 11}};
    for (int[] spec : specs) {
      for (int segments : new int[] {1, 2, 3, 7, 50}) {
        cases.add(Arguments.of(spec[0], spec[1], spec[2], (long) spec[3], segments));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "n={0} levels={1} pos%={2} seed={3} segments={4}")
  @MethodSource("samples")
  void segmentsGiveTheWholeCurvesFigures(int n, int levels, int positivePercent, long seed, int segments) {
    Random random = new Random(seed);
    int[] y = new int[n];
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = random.nextInt(100) < positivePercent ? 1 : 0;
      double raw = Math.min(1, Math.max(0, 0.5 + 0.2 * random.nextGaussian() + 0.15 * y[i]));
      s[i] = levels == 0 ? raw : Math.round(raw * (levels - 1)) / (double) (levels - 1);
    }
    ScoreHistogram whole = histogram(y, s);
    List<ScoreHistogram> parts = split(whole, segments, random);
    List<SegmentSummary> summaries = new ArrayList<>();
    for (ScoreHistogram part : parts) {
      summaries.add(SegmentSummary.of(part, 10));
    }
    SegmentedCurve curve = SegmentedCurve.walk(summaries);
    BinaryCurve binary = whole.curve();
    RocCurve roc = RocCurve.of(binary, true);

    assertEquals(whole.totalPositives(), curve.positives());
    assertEquals(whole.totalNegatives(), curve.negatives());
    assertEquals(RocCurve.auc(binary), curve.auc(), 0.0, "AUC");
    assertSame(RocCurve.of(binary, true).area(), curve.auc(), 1e-13);
    assertEquals(roc.size() - 1, curve.rocPoints(), "ROC points after dropping");
    Calibration calibration = whole.calibration(10);
    assertThat(curve.calibration().expectedCalibrationError(),
        closeTo(calibration.expectedCalibrationError(), 1e-13));
    assertEquals(calibration.points().size(), curve.calibration().points().size());

    for (ThresholdRule rule : RULES) {
      List<SegmentScan> scans = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        scans.add(SegmentScan.of(parts.get(i), curve.offsets().get(i), rule.pointRule(), 256));
      }
      boolean chooses = true;
      double expected = Double.NaN;
      try {
        expected = rule.choose(binary);
      } catch (IllegalArgumentException e) {
        chooses = false;
      }
      if (!chooses) {
        continue; // MaxF1 on a sample where it throws: checked in combineThrowsWhereTheRuleDoes
      }
      SegmentScan.Result result = SegmentScan.combine(scans, rule.pointRule());
      assertEquals(expected, result.threshold(), 0.0, rule.describe());
      assertSame(AveragePrecision.of(binary), result.averagePrecision(), 1e-13);
      double[][] thinned = thinnedRoc(roc, whole);
      assertArrayEquals(thinned[0], result.rocFpr(), 0.0, "ROC fpr");
      assertArrayEquals(thinned[1], result.rocTpr(), 0.0, "ROC tpr");
      long[] counts = new long[2];
      for (ScoreHistogram part : parts) {
        long[] c = part.countsAtOrAbove(expected);
        counts[0] += c[0];
        counts[1] += c[1];
      }
      ConfusionCounts at = ConfusionCounts.at(binary, expected);
      assertEquals(at.tp(), counts[0], 0.0);
      assertEquals(at.fp(), counts[1], 0.0);
    }
  }

  @ParameterizedTest(name = "n={0} levels={1} pos%={2} seed={3} segments={4}")
  @MethodSource("samples")
  void cutsFollowTheScoreOrderAndTheTarget(int n, int levels, int positivePercent, long seed, int segments) {
    Random random = new Random(seed);
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = levels == 0 ? random.nextDouble() * 2 - 1 : random.nextInt(levels) / 7.0;
    }
    s[0] = -0.0;
    java.util.TreeMap<Integer, Long> counts = new java.util.TreeMap<>();
    for (double v : s) {
      counts.merge(ScoreSegments.bucket(v), 1L, Long::sum);
    }
    int[] buckets = counts.keySet().stream().mapToInt(Integer::intValue).toArray();
    long[] sizes = counts.values().stream().mapToLong(Long::longValue).toArray();
    long target = Math.max(1, n / segments);
    int[] cuts = ScoreSegments.cuts(buckets, sizes, target);
    long[] perSegment = new long[cuts.length + 1];
    double[] sorted = s.clone();
    java.util.Arrays.sort(sorted);
    int previous = 0;
    for (double v : sorted) {
      int segment = ScoreSegments.segmentOf(cuts, v);
      assertThat("segments follow score order", segment >= previous, equalTo(true));
      previous = segment;
      perSegment[segment]++;
    }
    for (int i = 0; i < perSegment.length; i++) {
      boolean oneBucket = perSegment[i] > target;
      if (oneBucket) { // only a single bucket may exceed the target
        long inBucket = counts.get(i == 0 ? buckets[0] : cuts[i - 1]);
        assertEquals(perSegment[i], inBucket, "segment " + i + " over target holds one bucket");
      }
    }
    assertEquals(ScoreSegments.segmentOf(cuts, 0.0), ScoreSegments.segmentOf(cuts, -0.0));
  }

  @org.junit.jupiter.api.Test
  void mergeAllEqualsMergingOneByOne() {
    Random random = new Random(3);
    List<ScoreHistogram> parts = new ArrayList<>();
    ScoreHistogram oneByOne = ScoreHistogram.empty();
    for (int k = 0; k < 12; k++) {
      int n = random.nextInt(50);
      int[] y = new int[n];
      double[] s = new double[n];
      for (int i = 0; i < n; i++) {
        y[i] = random.nextInt(2);
        s[i] = random.nextInt(30) / 29.0 - (i % 7 == 0 ? 0.0 : 0.5);
      }
      ScoreHistogram h = histogram(y, s);
      parts.add(h);
      oneByOne = oneByOne.merge(h);
    }
    ScoreHistogram all = ScoreHistogram.mergeAll(parts);
    assertArrayEquals(oneByOne.scores(), all.scores(), 0.0);
    assertArrayEquals(oneByOne.positives(), all.positives());
    assertArrayEquals(oneByOne.negatives(), all.negatives());
  }

  @org.junit.jupiter.api.Test
  void combineThrowsWhereTheRuleDoes() {
    // one all-negative point: precision 0, recall 1 (no positives): F1 0, which the rule takes
    ScoreHistogram h = new ScoreHistogram(new double[] {0.3}, new long[] {0}, new long[] {4});
    SegmentedCurve curve = SegmentedCurve.walk(List.of(SegmentSummary.of(h, 10)));
    SegmentScan scan = SegmentScan.of(h, curve.offsets().get(0), MaxF1Rule.create().pointRule(), 256);
    assertEquals(MaxF1Rule.create().choose(h.curve()),
        SegmentScan.combine(List.of(scan), MaxF1Rule.create().pointRule()).threshold(), 0.0);
    assertNull(SegmentedCurve.walk(List.of(SegmentSummary.of(
        new ScoreHistogram(new double[] {1.5}, new long[] {1}, new long[] {1}), 10))).calibration());
  }

  private static void assertSame(double expected, double actual, double tolerance) {
    if (Double.isNaN(expected)) {
      assertEquals(expected, actual, 0.0);
    } else {
      assertThat(actual, closeTo(expected, tolerance));
    }
  }

  /** MetricRecords' thinning of the whole ROC: every step-th point, then (1, 1). */
  private static double[][] thinnedRoc(RocCurve roc, ScoreHistogram whole) {
    if (whole.totalPositives() == 0 || whole.totalNegatives() == 0) {
      return new double[][] {{}, {}};
    }
    double[] fpr = roc.fpr();
    double[] tpr = roc.tpr();
    int step = Math.max(1, (int) Math.ceil(fpr.length / 256.0));
    List<Double> f = new ArrayList<>();
    List<Double> t = new ArrayList<>();
    for (int i = 0; i < fpr.length; i += step) {
      f.add(fpr[i]);
      t.add(tpr[i]);
    }
    f.add(1.0);
    t.add(1.0);
    return new double[][] {f.stream().mapToDouble(Double::doubleValue).toArray(),
        t.stream().mapToDouble(Double::doubleValue).toArray()};
  }

  private static ScoreHistogram histogram(int[] y, double[] s) {
    double[] pos = new double[s.length];
    double[] neg = new double[s.length];
    int np = 0;
    int nn = 0;
    for (int i = 0; i < s.length; i++) {
      if (y[i] == 1) pos[np++] = s[i]; else neg[nn++] = s[i];
    }
    return ScoreHistogram.of(pos, np, neg, nn);
  }

  /** Random cut points, highest segment first. */
  private static List<ScoreHistogram> split(ScoreHistogram h, int segments, Random random) {
    java.util.TreeSet<Integer> cuts = new java.util.TreeSet<>();
    for (int i = 1; i < segments && cuts.size() < h.size() - 1; i++) {
      cuts.add(1 + random.nextInt(h.size() - 1));
    }
    List<ScoreHistogram> parts = new ArrayList<>();
    int to = h.size();
    for (int cut : cuts.descendingSet()) {
      parts.add(h.slice(cut, to));
      to = cut;
    }
    parts.add(h.slice(0, to));
    return parts;
  }
}
