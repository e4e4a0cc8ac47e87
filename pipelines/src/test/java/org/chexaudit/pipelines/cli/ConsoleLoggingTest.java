package org.chexaudit.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.is;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConsoleLoggingTest {
  @Test
  void verboseFlagIsTakenFromAnywhereOnTheLineAndRemoved() {
    Properties saved = (Properties) System.getProperties().clone(); // configure sets logging properties
    try {
      String[] rest = ConsoleLogging.configure(new String[] {"cohort", "--verbose", "--seed=1"});
      assertThat(rest, is(new String[] {"cohort", "--seed=1"}));
      assertThat(ConsoleLogging.verbose(), is(true));
    } finally {
      System.setProperties(saved);
    }
  }

  @Test
  void verboseLetsBeamFlinkAndHadoopLogAtInfo() {
    assertThat(ConsoleLogging.properties(true), hasEntry("org.slf4j.simpleLogger.log.org.apache.beam", "info"));
    assertThat(ConsoleLogging.properties(true), hasEntry("org.slf4j.simpleLogger.log.org.apache.flink", "info"));
  }

  @Test
  void recognisesTensorFlowsNativeInfoAndWarningLinesButNotErrors() {
    assertThat(NativeLogLines.isNative(
        "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR"), is(true));
    assertThat(NativeLogLines.isNative("I0000 00:00:1796229242.120735   19186 mlir_graph_optimization_pass.cc:401]"
        + " MLIR V1 optimization pass is not enabled"), is(true));
    assertThat(NativeLogLines.isNative("2026-12-02 16:33:13.307787: I tensorflow/core/util/port.cc:153] oneDNN"),
        is(true));
    assertThat(NativeLogLines.isNative("E0000 00:00:1.5 7 cuda.cc:1] failed"), is(false));
    assertThat(NativeLogLines.isNative("16:30:01 [INFO] cohort: 119 rows read"), is(false));
  }
}
