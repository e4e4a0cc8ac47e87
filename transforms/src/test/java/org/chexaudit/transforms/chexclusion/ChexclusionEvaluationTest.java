package org.chexaudit.transforms.chexclusion;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.chexaudit.core.chexclusion.ChexclusionCsv;
import org.chexaudit.core.chexclusion.DisparityAttribute;
import org.chexaudit.core.chexclusion.GroupGap;
import org.chexaudit.core.chexclusion.RunEvaluation;
import org.chexaudit.core.stats.GapRules;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.schemas.SubgroupMetric;
import org.chexaudit.transforms.coders.ScoredRowCoder;
import org.chexaudit.transforms.metrics.SubgroupMetrics;
import org.chexaudit.transforms.metrics.TprDisparity;
import org.chexaudit.transforms.metrics.ValidationThresholds;
import org.chexaudit.core.stats.TprGaps;
import org.chexaudit.core.stats.AveragePrecision;
import org.chexaudit.core.stats.MaxF1Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run of CheXclusion's evaluation (spec B5, B6) on the E2 golden vectors and hand-worked cases,
 * computed as {@code chexclusion-eval} computes it: {@link ValidationThresholds} on the validation rows,
 * {@link SubgroupMetrics} at those thresholds and {@link TprDisparity} on the test rows with missing
 * groups blanked, {@link BinaryPredictions}; read back through {@link RunRecords}.
 */
class ChexclusionEvaluationTest {
  private static final double EPS = 1e-12;
  static final int[] Y = {0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0};
  static final double[] S = {0.10, 0.40, 0.35, 0.80, 0.20, 0.90, 0.30, 0.60, 0.70, 0.05, 0.55, 0.15,
      0.45, 0.65, 0.25, 0.50, 0.12, 0.95, 0.33, 0.60};
  static final String[] RACE = "W W A B W W A W B W W A B W W W B W A W".split(" ");
  static final List<String> LABELS = List.of("Cardiomegaly", "Atelectasis");
  static final List<DisparityAttribute> ATTRIBUTES = List.of(
      DisparityAttribute.of("sex", TprGaps.Rule.COMPLEMENT),
      DisparityAttribute.of("race", TprGaps.Rule.MEDIAN).withOrder(List.of("W", "B", "A")));

  /** Label 0 = the golden y; label 1 = the same without the only Asian positive (row 2). */
  static int[] y2() {
    int[] y = Y.clone();
    y[2] = 0;
    return y;
  }

  static List<ScoredRow> validation() {
    List<ScoredRow> rows = new ArrayList<>();
    int[] y2 = y2();
    for (int i = 0; i < Y.length; i++) {
      rows.add(ScoredRow.of("v" + i, null, new double[] {S[i], S[i]}, new int[] {Y[i], y2[i]}, new String[0]));
    }
    return rows;
  }

  /** Golden rows, sex M on even rows and F on odd; plus two positives scored 0.99 whose attributes are missing. */
  static List<ScoredRow> test() {
    List<ScoredRow> rows = new ArrayList<>();
    int[] y2 = y2();
    for (int i = 0; i < Y.length; i++) {
      rows.add(ScoredRow.of("t" + i, null, new double[] {S[i], S[i]}, new int[] {Y[i], y2[i]},
          new String[] {i % 2 == 0 ? "M" : "F", RACE[i]}));
    }
    rows.add(ScoredRow.of("t20", null, new double[] {0.99, 0.99}, new int[] {1, 1}, new String[] {"", "0"}));
    rows.add(ScoredRow.of("t21", null, new double[] {0.99, 0.99}, new int[] {1, 1}, new String[] {"0", null}));
    return rows;
  }


  /** One run's evaluation and binary predictions (id -> line), from a Direct-runner pipeline. */
  record Evaluated(RunEvaluation run, Map<String, String> bipred) {}

  private static final Map<String, Queue<Object>> SINK = new ConcurrentHashMap<>();

  /** Adds every element to {@code SINK} under {@code key} (the Direct runner runs in this JVM). */
  private static final class SinkFn<T> extends DoFn<T, Void> {
    private final String key;

    SinkFn(String key) {
      this.key = key;
    }

    @ProcessElement
    public void process(@Element T e) {
      SINK.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).add(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> drain(String key) {
    Queue<Object> q = SINK.remove(key);
    return q == null ? List.of() : (List<T>) List.copyOf(q);
  }

  static Evaluated evaluate(List<String> labels, List<ScoredRow> validation, List<ScoredRow> test,
      List<DisparityAttribute> attributes) {
    String id = UUID.randomUUID().toString();
    List<String> names = attributes.stream().map(DisparityAttribute::name).toList();
    Pipeline p = Pipeline.create();
    PCollection<KV<String, Double>> thresholds = p.apply("Validation", Create.of(validation).withCoder(ScoredRowCoder.of()))
        .apply(ValidationThresholds.maxF1(labels));
    PCollection<ScoredRow> rows = p.apply("Test", Create.of(test).withCoder(ScoredRowCoder.of()))
        .apply(BlankMissingGroups.of(attributes));
    PCollection<SubgroupMetric> metrics =
        rows.apply(SubgroupMetrics.of(labels, names, names).withThresholds(thresholds));
    metrics.apply("SinkMetrics", ParDo.of(new SinkFn<>(id + "m")));
    metrics.apply(TprDisparity.create().withGapRules(GapRules.complementFor(attributes.stream()
            .filter(a -> a.rule() == TprGaps.Rule.COMPLEMENT).map(DisparityAttribute::name).toList())))
        .apply("SinkGaps", ParDo.of(new SinkFn<>(id + "g")));
    rows.apply(BinaryPredictions.at(labels, thresholds)).apply("SinkBipred", ParDo.of(new SinkFn<>(id + "b")));
    p.run().waitUntilFinish();
    Map<String, String> bipred = new TreeMap<>();
    ChexclusionEvaluationTest.<KV<String, String>>drain(id + "b").forEach(kv -> bipred.put(kv.getKey(), kv.getValue()));
    return new Evaluated(RunRecords.of(labels, attributes, drain(id + "m"), drain(id + "g")), bipred);
  }

  static RunEvaluation run() {
    return evaluate(LABELS, validation(), test(), ATTRIBUTES).run();
  }

  @Test
  void thresholdMaximisesF1OnValidation() {
    // spec E2: max F1 0.8333 at 0.65 on the golden vectors (both labels: sklearn gives 0.65 for y2 too)
    Evaluated e = evaluate(LABELS, validation(), test(), ATTRIBUTES);
    assertThat(e.run().scores().get(0).threshold(), is(0.65));
    assertThat(e.run().scores().get(1).threshold(), is(0.65));
    int[] expected = {0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0};
    for (int i = 0; i < expected.length; i++) {
      assertThat("row " + i, e.bipred().get("t" + i).split(",")[1], is(expected[i] == 1 ? "True" : "False"));
    }
    assertThat(e.bipred().get("t20"), is("t20,True,True"));
    assertThat(e.bipred().size(), is(22));
  }

  @Test
  void lowestThresholdAmongF1Ties() {
    // precision_recall_curve([1,0,0,1],[.9,.6,.5,.2]): F1 = [.667,.4,.5,.667] at [.2,.5,.6,.9] -> bestthr[0] = 0.2
    assertThat(MaxF1Rule.create().choose(new int[] {1, 0, 0, 1}, new double[] {0.9, 0.6, 0.5, 0.2}), is(0.2));
  }

  @Test
  void aucAndAveragePrecisionAsSklearn() {
    // roc_auc_score / average_precision_score on the 22 test rows (golden + two 0.99 positives):
    // label 0: 0.9401709401709402, 0.9380952380952382; label 1: 0.9821428571428572, 0.975
    RunEvaluation run = run();
    assertThat(run.scores().get(0).auc(), closeTo(0.9401709401709402, EPS));
    assertThat(run.scores().get(0).auprc(), closeTo(0.9380952380952382, EPS));
    assertThat(run.scores().get(1).auc(), closeTo(0.9821428571428572, EPS));
    assertThat(run.scores().get(1).auprc(), closeTo(0.975, EPS));
    // average_precision_score(y, s) = 0.9047619047619047 on E2; with ties ([1,0,1,1,0,0,1],
    // [.5,.5,.5,.2,.2,.9,.9]) = 0.5678571428571428
    assertThat(AveragePrecision.of(Y, S), closeTo(0.9047619047619047, EPS));
    assertThat(AveragePrecision.of(new int[] {1, 0, 1, 1, 0, 0, 1}, new double[] {0.5, 0.5, 0.5, 0.2, 0.2, 0.9, 0.9}),
        closeTo(0.5678571428571428, EPS));
    assertThat(Double.isNaN(AveragePrecision.of(new int[] {0, 0}, new double[] {0.1, 0.2})), is(true));
  }

  @Test
  void medianRuleWithOddGroupCountAndMissingValuesLeftOut() {
    // threshold 0.65: W positives .90 .55 .65 .95 -> 3/4; A .35 -> 0/1; B .80 .70 -> 2/2.
    // median {0.75, 0, 1} = 0.75. The two 0.99 positives have race "0" / null: not counted anywhere.
    List<GroupGap> race = run().gaps("race").get("Cardiomegaly");
    assertThat(race.stream().map(GroupGap::group).toList(), contains("W", "B", "A"));
    assertThat(race.get(0).gap(), closeTo(0.0, EPS));
    assertThat(race.get(1).gap(), closeTo(0.25, EPS));
    assertThat(race.get(2).gap(), closeTo(-0.75, EPS));
    assertThat(race.get(0).share(), closeTo(4 / 7.0, EPS));
    assertThat(race.get(2).positives(), is(1L));
    assertThat(race.get(1).truePositives(), is(2L));
  }

  @Test
  void undefinedGapStaysInPlaceAndEvenMedianIsMeanOfMiddleTwo() {
    // label 1 has no Asian positive: A's gap is NaN, share 0; median of {0.75, 1.0} = 0.875
    List<GroupGap> race = run().gaps("race").get("Atelectasis");
    assertThat(race.get(2).group(), is("A"));
    assertThat(Double.isNaN(race.get(2).gap()), is(true));
    assertThat(race.get(2).share(), is(0.0));
    assertThat(race.get(0).gap(), closeTo(0.75 - 0.875, EPS));
    assertThat(race.get(1).gap(), closeTo(1.0 - 0.875, EPS));
  }

  @Test
  void complementRuleForSex() {
    // positives: M rows 2 (.35), 8 (.70), 10 (.55) -> 1/3; F rows 3, 5, 13, 17 -> 4/4
    List<GroupGap> sex = run().gaps("sex").get("Cardiomegaly");
    assertThat(sex.stream().map(GroupGap::group).toList(), contains("F", "M"));
    assertThat(sex.get(0).gap(), closeTo(1 - 1 / 3.0, EPS));
    assertThat(sex.get(1).gap(), closeTo(1 / 3.0 - 1, EPS));
    assertThat(sex.get(1).share(), closeTo(3 / 7.0, EPS));
  }

  @Test
  void goldenAgeExampleThroughTheEvaluation() {
    // spec E2: TPRs {60-80:.718, 40-60:.653, 20-40:.598, 80-:.761, 0-20:.482} -> median .653,
    // gaps {+.065, 0, -.055, +.108, -.171}; 1000 positives per bin, the TPR's share scored above the threshold.
    Map<String, Integer> tp = Map.of("60-80", 718, "40-60", 653, "20-40", 598, "80-", 761, "0-20", 482);
    List<ScoredRow> test = new ArrayList<>();
    for (Map.Entry<String, Integer> e : tp.entrySet()) {
      for (int i = 0; i < 1000; i++) {
        test.add(ScoredRow.of(e.getKey() + i, null, new double[] {i < e.getValue() ? 0.9 : 0.1}, new int[] {1},
            new String[] {e.getKey()}));
      }
      test.add(ScoredRow.of(e.getKey() + "neg", null, new double[] {0.05}, new int[] {0}, new String[] {e.getKey()}));
    }
    List<ScoredRow> val = List.of(ScoredRow.of("a", null, new double[] {0.9}, new int[] {1}, new String[0]),
        ScoredRow.of("b", null, new double[] {0.1}, new int[] {0}, new String[0]));
    DisparityAttribute age = DisparityAttribute.of("age", TprGaps.Rule.MEDIAN)
        .withOrder(List.of("60-80", "40-60", "20-40", "80-", "0-20"));
    List<GroupGap> gaps = evaluate(List.of("x"), val, test, List.of(age)).run().gaps("age").get("x");
    double[] expected = {0.065, 0, -0.055, 0.108, -0.171};
    for (int i = 0; i < 5; i++) {
      assertThat(gaps.get(i).group(), is(age.order().get(i)));
      assertThat(gaps.get(i).gap(), closeTo(expected[i], 1e-12));
    }
  }

  @Test
  void filesKeepTheOriginalNamesAndNanInPlace(@TempDir Path dir) throws Exception {
    RunEvaluation run = run();
    ChexclusionCsv.writeThresholds(dir.resolve("Threshold.csv"), run);
    ChexclusionCsv.writeEval(dir.resolve("TestEval.csv"), run);
    ChexclusionCsv.writeRunGaps(dir.resolve("Run1_race.csv"), run, "race");
    assertThat(Files.readAllLines(dir.resolve("Threshold.csv")),
        contains("label,bestthr", "Atelectasis,0.65", "Cardiomegaly,0.65"));
    assertThat(Files.readAllLines(dir.resolve("TestEval.csv")).get(0), is("label,auc,auprc"));
    List<String> gaps = Files.readAllLines(dir.resolve("Run1_race.csv"));
    assertThat(gaps.get(0), is("diseases,%W,Gap_W,%B,Gap_B,%A,Gap_A"));
    // Atelectasis (range 0.25) before Cardiomegaly (range 1.0); A's NaN gap is an empty last cell
    assertThat(gaps.get(1), is("Atelectasis,0.6666666666666666,-0.125,0.3333333333333333,0.125,0.0,"));
    assertThat(gaps.get(2).startsWith("Cardiomegaly,"), is(true));
    assertThat(BinaryPredictions.header(LABELS), is("Path,bi_Cardiomegaly,bi_Atelectasis"));
    assertThat(evaluate(LABELS, validation(), test(), ATTRIBUTES).bipred().get("t3"), is("t3,True,True"));
  }

  @Test
  void labelWithoutValidationPositivesGetsNanAndPredictsNone() {
    // label 1 has no validation positive: its threshold is NaN (no max-F1 point), no row is predicted positive
    List<ScoredRow> val = new ArrayList<>();
    for (int i = 0; i < Y.length; i++) {
      val.add(ScoredRow.of("v" + i, null, new double[] {S[i], S[i]}, new int[] {Y[i], 0}, new String[0]));
    }
    Evaluated e = evaluate(LABELS, val, test(), ATTRIBUTES);
    assertThat(e.run().scores().get(0).threshold(), is(0.65));
    assertThat(Double.isNaN(e.run().scores().get(1).threshold()), is(true));
    assertThat(e.bipred().values().stream().allMatch(line -> line.endsWith(",False")), is(true));
    assertThat(e.run().gaps("sex").get("Atelectasis").get(0).truePositives(), is(0L));
  }
}
