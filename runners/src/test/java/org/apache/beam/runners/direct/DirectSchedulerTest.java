package org.apache.beam.runners.direct;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.ReleaseInfo;
import org.junit.jupiter.api.Test;

/** chexaudit's copy of the Direct runner's executor: the Beam it was copied from, and a scheduler that waits. */
class DirectSchedulerTest {
  private static final long SLEEP_MS = 1000;
  private static final AtomicLong OTHER_WORKERS_CPU_NANOS = new AtomicLong(-1);

  @Test
  void copiedFromTheBeamOnTheClassPath() {
    assertThat("ExecutorServiceParallelExecutor is a copy of Beam 2.70.0's with the lines marked 'chexaudit' "
        + "changed: copy the new version's file and make the same changes", ReleaseInfo.getReleaseInfo().getVersion(),
        is("2.70.0"));
  }

  @Test
  void theCopyIsTheClassLoaded() throws Exception {
    assertThat(ExecutorServiceParallelExecutor.class.getDeclaredField("executorService").getType(),
        is(WorkerPool.class));
  }

  /** While one bundle sleeps for a second, the other worker (free) does not run the scheduler over and over. */
  @Test
  void aFreeWorkerDoesNotSpinWhileABundleRuns() {
    DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    options.setTargetParallelism(2);
    Pipeline pipeline = Pipeline.create(options);
    pipeline.apply(Create.of(1)).apply(ParDo.of(new SleepFn()));
    assertThat(pipeline.run().waitUntilFinish(), is(PipelineResult.State.DONE));
    // Beam's own executor: about a second (a core spinning); this copy: a pass every 10 ms at most
    assertThat(TimeUnit.NANOSECONDS.toMillis(OTHER_WORKERS_CPU_NANOS.get()), lessThan(SLEEP_MS / 5));
  }

  private static final class SleepFn extends DoFn<Integer, Integer> {
    @ProcessElement
    public void process(@Element Integer element) throws InterruptedException {
      long before = otherWorkersCpuNanos();
      Thread.sleep(SLEEP_MS);
      OTHER_WORKERS_CPU_NANOS.set(otherWorkersCpuNanos() - before);
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
