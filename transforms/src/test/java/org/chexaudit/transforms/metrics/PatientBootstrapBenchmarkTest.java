package org.chexaudit.transforms.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.schemas.MetricInterval;
import org.chexaudit.transforms.coders.ScoredRowCoder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Timing of patient-level bootstrap replicates for benchmarks/patient-bootstrap-benchmark.sh (Direct runner, rows
 * generated in the pipeline); sizes from -Dbench.rows, -Dbench.patients, -Dbench.labels, -Dbench.replicates.
 * Uses only the public {@link Bootstrap} API, so the same file times an older revision.
 */
@Tag("benchmark") // timings, not checks: run by the benchmarks/ scripts, not by CI
class PatientBootstrapBenchmarkTest {
  /** A deterministic synthetic row of patient i % patients: scores correlate with targets. */
  static final class PatientRowFn extends DoFn<Long, ScoredRow> {
    private final int labels;
    private final long patients;

    PatientRowFn(int labels, long patients) {
      this.labels = labels;
      this.patients = patients;
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
      out.output(ScoredRow.of("r" + i, "p" + (i % patients), s, t, new String[] {
          MetricsBenchmarkTest.SEX.get(r.nextInt(2)), MetricsBenchmarkTest.RACE.get(r.nextInt(5)),
          MetricsBenchmarkTest.AGE.get(r.nextInt(5))}));
    }
  }

  @Test
  void patientLevelReplicates() {
    long rows = Long.getLong("bench.rows", 1_000_000L);
    long patients = Long.getLong("bench.patients", 200_000L);
    int labelCount = Integer.getInteger("bench.labels", 3);
    int replicates = Integer.getInteger("bench.replicates", 200);
    List<String> labels = new ArrayList<>();
    for (int l = 0; l < labelCount; l++) {
      labels.add("label" + l);
    }
    Pipeline p = MetricsBenchmarkTest.pipeline();
    PCollection<MetricInterval> intervals = p.apply(GenerateSequence.from(0).to(rows))
        .apply(ParDo.of(new PatientRowFn(labelCount, patients))).setCoder(ScoredRowCoder.of())
        .apply(Bootstrap.of(labels, List.of("sex", "race", "age"), List.of("race"))
            .withUnit(Bootstrap.Unit.PATIENT).withReplicates(replicates).withSeed(1));
    // per label: the whole set's AUC, TPR, FPR and each of 5 races' AUC, TPR, FPR, gap
    PAssert.thatSingleton(intervals.apply(Count.globally())).isEqualTo(labelCount * (3L + 5 * 4));
    // the heap after each collection, its largest value: the most the run held live at once (the Direct runner
    // keeps every PCollection in memory, so this is the whole pipeline's data, not one worker's)
    java.util.concurrent.atomic.AtomicLong afterGc = new java.util.concurrent.atomic.AtomicLong();
    for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      ((javax.management.NotificationEmitter) gc).addNotificationListener((n, h) -> {
        if (n.getType().equals(com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
          long used = com.sun.management.GarbageCollectionNotificationInfo
              .from((javax.management.openmbean.CompositeData) n.getUserData()).getGcInfo().getMemoryUsageAfterGc()
              .values().stream().mapToLong(java.lang.management.MemoryUsage::getUsed).sum();
          afterGc.accumulateAndGet(used, Math::max);
        }
      }, null, null);
    }
    long start = System.nanoTime();
    PipelineResult.State state = p.run().waitUntilFinish();
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("BENCHMARK patient bootstrap %d rows, %d patients, %d labels, race groups, %d replicates: "
        + "%.1f s (largest heap after a collection %d MiB, -Xmx %d MiB)%n", rows, patients, labelCount, replicates,
        seconds, afterGc.get() >> 20, Runtime.getRuntime().maxMemory() >> 20);
    assertThat(state, is(PipelineResult.State.DONE));
  }
}
