package org.chexaudit.core;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The core module's dependency graph holds neither Beam nor TensorFlow (see pipelines' ModuleBoundariesTest for imports). */
class CoreClasspathTest {
  @Test
  void beamIsNotOnTheClasspath() {
    assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.beam.sdk.Pipeline"));
  }

  @Test
  void tensorFlowIsNotOnTheClasspath() {
    assertThrows(ClassNotFoundException.class, () -> Class.forName("org.tensorflow.Graph"));
  }
}
