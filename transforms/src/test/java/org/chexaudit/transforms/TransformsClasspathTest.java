package org.chexaudit.transforms;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A pipeline that uses only the transforms does not pull TensorFlow or its natives. */
class TransformsClasspathTest {
  @Test
  void tensorFlowIsNotOnTheClasspath() {
    assertThrows(ClassNotFoundException.class, () -> Class.forName("org.tensorflow.Graph"));
    assertThrows(ClassNotFoundException.class, () -> Class.forName("org.chexaudit.models.Predictor"));
  }
}
