package org.chexaudit.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The commands' Direct runner runs with chexaudit-runners' copies of two of its classes (a scheduler that
 * waits for bundles instead of spinning; metrics reported per bundle), not Beam's: that module comes before
 * beam-runners-direct-java on this module's class path, and the shaded jar leaves Beam's copies out
 * (pipelines/pom.xml).
 */
class DirectRunnerCopyTest {
  @ParameterizedTest
  @ValueSource(strings = {"ExecutorServiceParallelExecutor", "DirectTransformExecutor"})
  void theClassIsChexauditsCopy(String name) throws Exception {
    Class<?> copy = Class.forName("org.apache.beam.runners.direct." + name);
    assertThat(copy.getProtectionDomain().getCodeSource().getLocation().toString(),
        not(containsString("beam-runners-direct-java")));
  }
}
