package org.chexaudit.models;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Per-sample losses; the trainer weights and normalises them so micro-batches add up exactly. */
final class Losses {
  private Losses() {}

  /**
   * Sum over classes of binary cross-entropy on sigmoid(logits), in the numerically stable form
   * max(x,0) - x*y + log(1+exp(-|x|)); [N,C] -> [N].
   */
  static Operand<TFloat32> sigmoidCrossEntropy(Ops tf, Operand<TFloat32> logits, Operand<TFloat32> targets) {
    Operand<TFloat32> perClass = tf.math.add(
        tf.math.sub(tf.math.maximum(logits, tf.constant(0f)), tf.math.mul(logits, targets)),
        tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(logits)))));
    return tf.sum(perClass, tf.constant(1));
  }

  /** Cross-entropy of softmax(logits) against one-hot targets; [N,C] -> [N]. */
  static Operand<TFloat32> softmaxCrossEntropy(Ops tf, Operand<TFloat32> logits, Operand<TFloat32> oneHot) {
    return tf.math.neg(tf.sum(tf.math.mul(oneHot, tf.nn.logSoftmax(logits)), tf.constant(1)));
  }

  static Operand<TFloat32> perSample(Ops tf, Head head, Operand<TFloat32> logits, Operand<TFloat32> targets) {
    return head.multiLabel() ? sigmoidCrossEntropy(tf, logits, targets) : softmaxCrossEntropy(tf, logits, targets);
  }

  static Operand<TFloat32> probabilities(Ops tf, Head head, Operand<TFloat32> logits) {
    return head.multiLabel() ? tf.math.sigmoid(logits) : tf.nn.softmax(logits);
  }
}
