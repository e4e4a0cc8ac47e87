package org.chexaudit.transforms.metrics;

import org.chexaudit.core.stats.ScoredRow;

import org.chexaudit.transforms.coders.ScoredRowCoder;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.testing.PAssert;
import org.chexaudit.schemas.SubgroupMetric;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Timings for benchmarks/metrics-benchmark.sh (Direct runner); rows are generated in the pipeline. */
@Tag("benchmark") // timings, not checks: run by the benchmarks/ scripts, not by CI
class MetricsBenchmarkTest {
  static final List<String> SEX = List.of("Female", "Male");
  static final List<String> RACE = List.of("White", "Asian", "Black", "Other", "Unknown");
  static final List<String> AGE = List.of("0-20", "20-40", "40-60", "60-80", "80-");

  /** A deterministic synthetic row: scores correlate with targets. */
  static final class SyntheticRowFn extends DoFn<Long, ScoredRow> {
    private final int labels;

    SyntheticRowFn(int labels) {
      this.labels = labels;
    }

    @ProcessElement
    public void process(@Element Long i, OutputReceiver<ScoredRow> out) {
      SplittableRandom r = new SplittableRandom(i * 0x9E3779B97F4A7C15L);
      double[] s = new double[labels];
      int[] t = new int[labels];
      for (int l = 0; l < labels; l++) {
        t[l] = r.nextDouble() < 0.2 ? 1 : 0;
        s[l] = Math.round(1000 * Math.min(1, Math.max(0, 0.35 + 0.3 * t[l] + 0.2 * (r.nextDouble() - 0.5)))) / 1000.0;
      }
      out.output(ScoredRow.of("r" + i, "p" + (i / 3), s, t, new String[] {SEX.get(r.nextInt(2)),
          RACE.get(r.nextInt(5)), AGE.get(r.nextInt(5))}));
    }
  }

  static Pipeline pipeline() {
    // as the metrics command runs it: pipelines' Cli turns the Direct runner's per-element
    // immutability/encodability checks off (they cost three quarters of the CPU time here)
    return Pipeline.create(PipelineOptionsFactory.fromArgs("--targetParallelism=2",
        "--enforceImmutability=false", "--enforceEncodability=false").create());
  }

  @Test
  void millionRowsFourteenLabelsThreeAttributes() {
    List<String> labels = new ArrayList<>();
    for (int l = 0; l < 14; l++) {
      labels.add("label" + l);
    }
    Pipeline p = pipeline();
    PCollection<SubgroupMetric> metrics = p.apply(GenerateSequence.from(0).to(1_000_000))
        .apply(ParDo.of(new SyntheticRowFn(14))).setCoder(ScoredRowCoder.of())
        .apply(SubgroupMetrics.of(labels, List.of("sex", "race", "age"), List.of("sex", "race", "age")));
    // 14 labels x (1 + 2 + 5 + 5) rows
    PAssert.thatSingleton(metrics.apply(Count.globally())).isEqualTo(14L * 13);
    long start = System.nanoTime();
    PipelineResult.State state = p.run().waitUntilFinish();
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("BENCHMARK metrics 1000000 rows x 14 labels x 3 attributes, no bootstrap: %.1f s%n", seconds);
    assertThat(state, is(PipelineResult.State.DONE));
  }

  @Test
  void twoThousandReplicatesOn38240Rows() {
    Pipeline p = pipeline();
    PCollection<SubgroupMetric> metrics = p.apply(GenerateSequence.from(0).to(38_240))
        .apply(ParDo.of(new SyntheticRowFn(1))).setCoder(ScoredRowCoder.of())
        .apply(SubgroupMetrics.of(List.of("label0"), List.of("sex", "race", "age"), List.of("race"))
            .withBootstrap(Bootstrap.of(List.of("label0"), List.of("sex", "race", "age"), List.of("race"))
                .withReplicates(2000).withSeed(1)));
    PAssert.thatSingleton(metrics.apply(Count.globally())).isEqualTo(6L);
    long start = System.nanoTime();
    PipelineResult.State state = p.run().waitUntilFinish();
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("BENCHMARK bootstrap 2000 replicates, 38240 rows, 1 label, 5 groups: %.1f s%n", seconds);
    assertThat(state, is(PipelineResult.State.DONE));
  }
}
