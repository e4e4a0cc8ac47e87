package org.chexaudit.transforms.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.chexaudit.core.stats.BlockClusterResample;
import org.chexaudit.core.stats.BootstrapInterval;
import org.chexaudit.core.stats.FixedThresholdRule;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.core.stats.SegmentLayout;
import org.chexaudit.core.stats.SubgroupEvaluator;
import org.chexaudit.core.stats.ThresholdRule;
import org.chexaudit.core.stats.ThresholdScope;
import org.chexaudit.schemas.MetricInterval;
import org.chexaudit.transforms.coders.ScoredRowCoder;
import org.chexaudit.transforms.io.IdHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Patient-level replicates drawn and evaluated block by block ({@link PatientWeights}, {@link BlockBootstrap})
 * equal, replicate for replicate and bound for bound, the same draws made in memory
 * ({@link BlockClusterResample}) and evaluated by {@link SubgroupEvaluator} on the whole sample.
 */
@ExtendWith(TestPipelineExtension.class)
class PatientBootstrapTest {
  private static final List<String> LABELS = List.of("a", "b");
  private static final String[] RACES = {"W", "A", "B"};
  private static final int REPLICATES = 60;
  private static final long SEED = 5;
  private static final long TARGET = 16;

  /**
   * 330 rows of 91 patients: p00 has 40 rows, the others 1 to 5; label a's scores hold a tie of 70 rows at
   * exactly 0.0 (a segment split into several blocks at 16 rows a block); race is the patient's, missing for
   * p07.
   */
  private static final class Sample {
    final List<ScoredRow> rows = new ArrayList<>();
    final List<String> patients = new ArrayList<>();
    final List<int[]> y = List.of(new int[330], new int[330]);
    final List<double[]> s = List.of(new double[330], new double[330]);
    final String[] race = new String[330];

    Sample() {
      SplittableRandom random = new SplittableRandom(23);
      int i = 0;
      for (int p = 0; i < 330; p++) {
        int rowsOfPatient = p == 0 ? 40 : 1 + random.nextInt(5);
        String raceOfPatient = p == 7 ? null : RACES[random.nextInt(3)];
        for (int k = 0; k < rowsOfPatient && i < 330; k++, i++) {
          double[] score = new double[2];
          int[] target = new int[2];
          for (int l = 0; l < 2; l++) {
            score[l] = l == 0 && random.nextInt(330) < 70 ? 0.0 : random.nextInt(40) / 40.0;
            target[l] = random.nextDouble() < 0.15 + 0.7 * score[l] ? 1 : 0;
            y.get(l)[i] = target[l];
            s.get(l)[i] = score[l];
          }
          race[i] = raceOfPatient;
          String patient = String.format("p%02d", p);
          patients.add(patient);
          rows.add(ScoredRow.of(String.format("img%03d", i), patient, score, target,
              new String[] {random.nextBoolean() ? "F" : "M", raceOfPatient}));
        }
      }
    }

    /** The in-memory draws: each row's patient block as {@link PatientWeights} assigns it. */
    BlockClusterResample scheme() {
      long blocks = PatientWeights.blocks(rows.size(), TARGET);
      long[] block = patients.stream().mapToLong(p -> PatientWeights.blockOf(p, blocks)).toArray();
      return BlockClusterResample.of(patients.toArray(String[]::new), block);
    }

    SubgroupEvaluator evaluator(int label, ThresholdRule rule, ThresholdScope scope) {
      List<SubgroupEvaluator.Group> groups = new ArrayList<>();
      for (String g : RACES) {
        groups.add(new SubgroupEvaluator.Group("race", g,
            IntStream.range(0, race.length).filter(i -> g.equals(race[i])).toArray()));
      }
      return SubgroupEvaluator.of(y.get(label), s.get(label), groups, rule).withScope(scope);
    }
  }

  @Test
  void sampleSpreadsPatientsOverBlocksAndSegments() {
    Sample sample = new Sample();
    long blocks = PatientWeights.blocks(330, TARGET);
    assertThat(blocks, is(21L));
    Set<Long> patientBlocks = new HashSet<>();
    sample.patients.forEach(p -> patientBlocks.add(PatientWeights.blockOf(p, blocks)));
    assertThat(patientBlocks.size(), greaterThanOrEqualTo(15));
    SegmentLayout layout = SegmentLayout.of(sample.s.get(0), TARGET);
    assertThat(layout.parts(layout.segmentOf(0.0)), greaterThanOrEqualTo(4));
    // p00's 40 rows lie in many score blocks, of plain segments and of the split tie
    Set<Long> scoreBlocks = new HashSet<>();
    Set<Integer> segments = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      long b = layout.blockOf(sample.s.get(0)[i], IdHash.of(sample.rows.get(i).id()));
      scoreBlocks.add(b);
      segments.add(SegmentLayout.segmentOfBlock(b));
    }
    assertThat(segments.size(), greaterThanOrEqualTo(8));
    assertThat(scoreBlocks.size(), greaterThanOrEqualTo(segments.size() + 1));
  }

  /** The FPR-0.2 rule on the whole set, and fixed thresholds; four records of weights per block (16, 16, 16 and 13 replicates). */
  @Test
  void globalRuleAndFixedThresholdsEqualTheSameDrawsInMemory(TestPipeline p) {
    Sample sample = new Sample();
    PCollection<ScoredRow> input = p.apply(Create.of(sample.rows).withCoder(ScoredRowCoder.of()));
    Bootstrap bootstrap = Bootstrap.of(LABELS, List.of("sex", "race"), List.of("race"))
        .withUnit(Bootstrap.Unit.PATIENT).withReplicates(REPLICATES).withSeed(SEED).withSegmentTarget(TARGET)
        .withReplicatesPerRecord(16);
    PCollection<MetricInterval> global = input.apply("Global", bootstrap);
    check(global, sample, "a", 0, ThresholdRule.parse("fpr:0.2"), ThresholdScope.GLOBAL);
    check(global, sample, "b", 1, ThresholdRule.parse("fpr:0.2"), ThresholdScope.GLOBAL);
    PCollection<MetricInterval> fixed = input.apply("Fixed", bootstrap.withThresholds(Map.of("a", 0.3, "b", 0.5)));
    check(fixed, sample, "a", 0, FixedThresholdRule.of(0.3), ThresholdScope.GLOBAL);
    check(fixed, sample, "b", 1, FixedThresholdRule.of(0.5), ThresholdScope.GLOBAL);
    p.run().waitUntilFinish();
  }

  /** Each race group's own Youden point in every replicate, both labels in one transform, one record per block. */
  @Test
  void perGroupThresholdsEqualTheSameDrawsInMemory(TestPipeline p) {
    Sample sample = new Sample();
    PCollection<ScoredRow> input = p.apply(Create.of(sample.rows).withCoder(ScoredRowCoder.of()));
    Bootstrap bootstrap = Bootstrap.of(LABELS, List.of("sex", "race"), List.of("race"))
        .withUnit(Bootstrap.Unit.PATIENT).withReplicates(REPLICATES).withSeed(SEED).withSegmentTarget(TARGET)
        .withRule(ThresholdRule.parse("youden")).withScope(ThresholdScope.PER_GROUP);
    PCollection<MetricInterval> intervals = input.apply("PerGroup", bootstrap);
    check(intervals, sample, "a", 0, ThresholdRule.parse("youden"), ThresholdScope.PER_GROUP);
    check(intervals, sample, "b", 1, ThresholdRule.parse("youden"), ThresholdScope.PER_GROUP);
    p.run().waitUntilFinish();
  }

  @Test
  void aRowWithoutPatientFailsNamingIt(TestPipeline p) {
    List<ScoredRow> rows = new ArrayList<>(new Sample().rows);
    rows.add(ScoredRow.of("orphan", null, new double[] {0.5, 0.5}, new int[] {1, 0}, new String[] {"F", "W"}));
    p.apply(Create.of(rows).withCoder(ScoredRowCoder.of()))
        .apply(Bootstrap.of(LABELS, List.of("sex", "race"), List.of("race")).withUnit(Bootstrap.Unit.PATIENT)
            .withReplicates(5));
    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    Throwable cause = e;
    while (!(cause instanceof IllegalArgumentException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    assertThat(cause.getMessage(), containsString("Bootstrap unit PATIENT: row orphan has no patient id"));
  }

  /** Label {@code label}'s intervals equal {@link BootstrapInterval#run} on the in-memory draws, cell for cell. */
  private static void check(PCollection<MetricInterval> intervals, Sample sample, String label, int l,
      ThresholdRule rule, ThresholdScope scope) {
    SubgroupEvaluator evaluator = sample.evaluator(l, rule, scope);
    double[][] expected = BootstrapInterval.run(evaluator, sample.scheme(), SEED, REPLICATES, 0.95);
    double[] point = evaluator.evaluate(null);
    PAssert.that(intervals).satisfies(xs -> {
      Map<String, MetricInterval> m = new LinkedHashMap<>();
      xs.forEach(i -> {
        if (i.getLabel().toString().equals(label)) {
          m.put(i.getAttribute() + "/" + i.getGroup() + "/" + i.getMetric(), i);
        }
      });
      assertThat(label + " cells", m.size(), is(3 + 3 * 4));
      List<String> wrong = new ArrayList<>();
      for (int g = -1; g < RACES.length; g++) {
        String cell = g < 0 ? "all/all/" : "race/" + RACES[g] + "/";
        for (int k = 0; k < 4; k++) {
          if (g < 0 && k == 3) {
            continue; // the whole set has no gap
          }
          MetricInterval x = m.get(cell + new String[] {"AUC", "TPR", "FPR", "TPR_GAP"}[k]);
          int i = SubgroupEvaluator.index(g, k);
          double[] got = {orNaN(x.getEstimate()), orNaN(x.getLower()), orNaN(x.getUpper())};
          double[] want = {point[i], expected[i][0], expected[i][1]};
          if (!Arrays.equals(got, want)) {
            wrong.add(label + " " + cell + k + ": " + Arrays.toString(got) + " expected " + Arrays.toString(want));
          }
          assertThat(x.getReplicates(), is(REPLICATES));
        }
      }
      // every cell's estimate and bounds equal the in-memory evaluation's exactly
      assertThat(String.join("\n", wrong), wrong.isEmpty(), is(true));
      return null;
    });
  }

  private static double orNaN(Double v) {
    return v == null ? Double.NaN : v;
  }
}
