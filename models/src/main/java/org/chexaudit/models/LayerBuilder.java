package org.chexaudit.models;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Builds PyTorch-equivalent layers (NHWC) from TensorFlow ops, creating or reusing variables by
 * state-dict name. One builder is one forward pass: BatchNorm either uses batch statistics and
 * records PyTorch-style running-statistics updates ({@code bnTraining}), or uses the running
 * statistics (inference).
 */
public final class LayerBuilder {
  /** PyTorch's BatchNorm2d defaults. */
  static final float BN_EPS = 1e-5f;
  static final float BN_MOMENTUM = 0.1f;

  private final Ops tf;
  private final ModelVariables vars;
  private final boolean bnTraining;
  private final VariableSpec.Init convInit;
  private final String group;
  private final List<Op> bnUpdates;

  LayerBuilder(Ops tf, ModelVariables vars, boolean bnTraining, VariableSpec.Init convInit) {
    this(tf, vars, bnTraining, convInit, VariableSpec.BACKBONE, new ArrayList<>());
  }

  private LayerBuilder(Ops tf, ModelVariables vars, boolean bnTraining, VariableSpec.Init convInit,
      String group, List<Op> bnUpdates) {
    this.tf = tf;
    this.vars = vars;
    this.bnTraining = bnTraining;
    this.convInit = convInit;
    this.group = group;
    this.bnUpdates = bnUpdates;
  }

  /** The same pass, creating variables in another group (a head). */
  LayerBuilder inGroup(String newGroup) {
    return new LayerBuilder(tf, vars, bnTraining, convInit, newGroup, bnUpdates);
  }

  Ops tf() {
    return tf;
  }

  /** Running-statistics updates of every BatchNorm in training mode built so far. */
  List<Op> bnUpdates() {
    return List.copyOf(bnUpdates);
  }

  /** nn.Conv2d(bias=False) with symmetric zero padding {@code pad}. */
  Operand<TFloat32> conv(String name, Operand<TFloat32> x, int out, int k, int stride, int pad) {
    long in = x.shape().get(3);
    Variable<TFloat32> w = vars.get(new VariableSpec(name + ".weight", new long[] {out, in, k, k},
        VariableSpec.Layout.CONV, VariableSpec.Kind.PARAM, convInit, group));
    List<Long> strides = List.of(1L, (long) stride, (long) stride, 1L);
    if (stride == 1 && pad == (k - 1) / 2 && k % 2 == 1) {
      return tf.nn.conv2d(x, w, strides, "SAME"); // identical to symmetric padding here
    }
    return tf.nn.conv2d(padSpatial(x, pad, 0f), w, strides, "VALID");
  }

  /** nn.BatchNorm2d(eps=1e-5, momentum=0.1). */
  Operand<TFloat32> batchNorm(String name, Operand<TFloat32> x) {
    long c = x.shape().get(3);
    Variable<TFloat32> gamma = vars.get(vec(name + ".weight", c, VariableSpec.Kind.PARAM, VariableSpec.Init.ONES));
    Variable<TFloat32> beta = vars.get(vec(name + ".bias", c, VariableSpec.Kind.PARAM, VariableSpec.Init.ZEROS));
    Variable<TFloat32> mean = vars.get(vec(name + ".running_mean", c, VariableSpec.Kind.BUFFER, VariableSpec.Init.ZEROS));
    Variable<TFloat32> var = vars.get(vec(name + ".running_var", c, VariableSpec.Kind.BUFFER, VariableSpec.Init.ONES));
    if (!bnTraining) {
      return tf.nn.fusedBatchNorm(x, gamma, beta, mean, var,
          FusedBatchNorm.isTraining(false), FusedBatchNorm.epsilon(BN_EPS)).y();
    }
    Operand<TFloat32> empty = tf.constant(new float[0]);
    FusedBatchNorm<TFloat32, TFloat32> bn = tf.nn.fusedBatchNorm(x, gamma, beta, empty, empty,
        FusedBatchNorm.isTraining(true), FusedBatchNorm.epsilon(BN_EPS));
    // TF's batchVariance output is already the unbiased (n-1) estimate, as PyTorch's running_var uses.
    Operand<TFloat32> keep = tf.constant(1f - BN_MOMENTUM);
    Operand<TFloat32> take = tf.constant(BN_MOMENTUM);
    bnUpdates.add(tf.assign(mean, tf.math.add(tf.math.mul(mean, keep), tf.math.mul(bn.batchMean(), take))));
    bnUpdates.add(tf.assign(var, tf.math.add(tf.math.mul(var, keep), tf.math.mul(bn.batchVariance(), take))));
    return bn.y();
  }

  Operand<TFloat32> relu(Operand<TFloat32> x) {
    return tf.nn.relu(x);
  }

  /** nn.MaxPool2d(k, stride, pad) applied after a ReLU (so zero padding equals -inf padding). */
  Operand<TFloat32> maxPoolAfterRelu(Operand<TFloat32> x, int k, int stride, int pad) {
    Operand<TFloat32> padded = pad == 0 ? x : padSpatial(x, pad, 0f);
    return tf.nn.maxPool(padded, tf.constant(new int[] {1, k, k, 1}),
        tf.constant(new int[] {1, stride, stride, 1}), "VALID");
  }

  /** nn.AvgPool2d(k, stride), no padding. */
  Operand<TFloat32> avgPool(Operand<TFloat32> x, int k, int stride) {
    return tf.nn.avgPool(x, List.of(1L, (long) k, (long) k, 1L), List.of(1L, (long) stride, (long) stride, 1L), "VALID");
  }

  /** adaptive_avg_pool2d(1) + flatten: [N,H,W,C] -> [N,C]. */
  Operand<TFloat32> globalAvgPool(Operand<TFloat32> x) {
    return tf.math.mean(x, tf.constant(new int[] {1, 2}));
  }

  /** nn.Linear(in, out) with the given init of the bias. */
  Operand<TFloat32> linear(String name, Operand<TFloat32> x, int out, VariableSpec.Init biasInit) {
    long in = x.shape().get(1);
    Variable<TFloat32> w = vars.get(new VariableSpec(name + ".weight", new long[] {out, in},
        VariableSpec.Layout.LINEAR, VariableSpec.Kind.PARAM, VariableSpec.Init.LINEAR_DEFAULT, group));
    Variable<TFloat32> b = vars.get(vec(name + ".bias", out, VariableSpec.Kind.PARAM, biasInit));
    return tf.math.add(tf.linalg.matMul(x, w), b);
  }

  Operand<TFloat32> add(Operand<TFloat32> a, Operand<TFloat32> b) {
    return tf.math.add(a, b);
  }

  Operand<TFloat32> concatChannels(List<Operand<TFloat32>> parts) {
    return parts.size() == 1 ? parts.get(0) : tf.concat(parts, tf.constant(3));
  }

  private VariableSpec vec(String name, long n, VariableSpec.Kind kind, VariableSpec.Init init) {
    return new VariableSpec(name, new long[] {n}, VariableSpec.Layout.SAME, kind, init, group);
  }

  private Operand<TFloat32> padSpatial(Operand<TFloat32> x, int pad, float value) {
    Operand<TInt32> paddings = tf.constant(new int[][] {{0, 0}, {pad, pad}, {pad, pad}, {0, 0}});
    return tf.pad(x, paddings, tf.constant(value));
  }
}
