package org.chexaudit.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

/**
 * The commands' Direct runner schedules with chexaudit-runners' copy of its executor (a scheduler that waits
 * for bundles instead of spinning), not Beam's: that module comes before beam-runners-direct-java on this
 * module's class path, and the shaded jar leaves Beam's copy out (pipelines/pom.xml).
 */
class DirectRunnerCopyTest {
  @Test
  void theExecutorIsChexauditsCopy() throws Exception {
    Class<?> executor = Class.forName("org.apache.beam.runners.direct.ExecutorServiceParallelExecutor");
    assertThat(executor.getDeclaredField("executorService").getType().getSimpleName(), is("WorkerPool"));
  }
}
