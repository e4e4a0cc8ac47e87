package org.apache.beam.runners.direct;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.ReleaseInfo;
import org.junit.jupiter.api.Test;

/**
 * chexaudit's copies of two Direct-runner classes: the Beam they were copied from, that they are the ones
 * loaded, a scheduler that waits, and metrics that add up as before.
 */
class DirectRunnerCopiesTest {
  private static final long SLEEP_MS = 1000;
  private static final AtomicLong OTHER_WORKERS_CPU_NANOS = new AtomicLong(-1);

  @Test
  void copiedFromTheBeamOnTheClassPath() {
    assertThat("ExecutorServiceParallelExecutor and DirectTransformExecutor are copies of Beam 2.70.0's with the "
        + "lines marked 'chexaudit' changed: copy the new version's files and make the same changes",
        ReleaseInfo.getReleaseInfo().getVersion(), is("2.70.0"));
  }

  @Test
  void theCopiesAreTheClassesLoaded() throws Exception {
    assertThat(ExecutorServiceParallelExecutor.class.getDeclaredField("executorService").getType(),
        is(WorkerPool.class));
    for (Class<?> copy : List.of(ExecutorServiceParallelExecutor.class, DirectTransformExecutor.class)) {
      assertThat(copy.getProtectionDomain().getCodeSource().getLocation().toString(),
          not(containsString("beam-runners-direct-java")));
    }
  }

  /** While one bundle sleeps for a second, the other worker (free) does not run the scheduler over and over. */
  @Test
  void aFreeWorkerDoesNotSpinWhileABundleRuns() {
    Pipeline pipeline = Pipeline.create(options());
    pipeline.apply(Create.of(1)).apply(ParDo.of(new SleepFn()));
    assertThat(pipeline.run().waitUntilFinish(), is(PipelineResult.State.DONE));
    // Beam's own executor: about a second (a core spinning); this copy: a pass every 10 ms at most
    assertThat(TimeUnit.NANOSECONDS.toMillis(OTHER_WORKERS_CPU_NANOS.get()), lessThan(SLEEP_MS / 5));
  }

  /** Physical metrics are reported per bundle, not per element: the counts are the same. */
  @Test
  void countersAddUpOverBundlesOfManyElements() {
    List<Integer> values = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      values.add(i);
    }
    Pipeline pipeline = Pipeline.create(options());
    pipeline.apply(Create.of(values)).apply(ParDo.of(new CountFn()));
    PipelineResult result = pipeline.run();
    assertThat(result.waitUntilFinish(), is(PipelineResult.State.DONE));
    MetricsFilter filter = MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(CountFn.class, "elements")).build();
    List<MetricResult<Long>> counters = new ArrayList<>();
    result.metrics().queryMetrics(filter).getCounters().forEach(counters::add);
    assertThat(counters.size(), is(1));
    assertThat(List.of(counters.get(0).getAttempted(), counters.get(0).getCommitted()), contains(10_000L, 10_000L));
  }

  private static DirectOptions options() {
    DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    options.setTargetParallelism(2);
    return options;
  }

  private static final class SleepFn extends DoFn<Integer, Integer> {
    @ProcessElement
    public void process(@Element Integer element) throws InterruptedException {
      long before = otherWorkersCpuNanos();
      Thread.sleep(SLEEP_MS);
      OTHER_WORKERS_CPU_NANOS.set(otherWorkersCpuNanos() - before);
    }
  }

  private static final class CountFn extends DoFn<Integer, Integer> {
    private final Counter elements = Metrics.counter(CountFn.class, "elements");

    @ProcessElement
    public void process(@Element Integer element) {
      elements.inc();
    }
  }

  /** CPU time of the Direct runner's worker threads but this one. */
  private static long otherWorkersCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread != Thread.currentThread() && thread.getName().startsWith("direct-runner-worker")) {
        total += Math.max(0, threads.getThreadCpuTime(thread.getId()));
      }
    }
    return total;
  }
}
