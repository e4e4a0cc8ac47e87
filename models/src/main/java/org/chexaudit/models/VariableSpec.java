package org.chexaudit.models;

import java.util.Arrays;

/**
 * One variable of a network, described in PyTorch terms (state-dict name and shape) so that
 * checkpoints and {@code initWeights} files use torchvision's names and layouts.
 *
 * @param name state-dict name, e.g. {@code features.denseblock1.denselayer1.conv1.weight}
 * @param torchShape PyTorch shape: conv {@code [out, in, kh, kw]}, linear {@code [out, in]}
 * @param layout how the TensorFlow variable is laid out relative to the PyTorch array
 * @param kind trainable parameter, BatchNorm buffer, or optimizer/accumulator slot
 * @param init how a fresh variable is initialised
 * @param group {@code backbone} or the name of the head it belongs to
 */
public record VariableSpec(
    String name, long[] torchShape, Layout layout, Kind kind, Init init, String group) {

  /** TensorFlow layout relative to PyTorch's. */
  public enum Layout {
    /** torch {@code [out,in,kh,kw]} stored as TF {@code [kh,kw,in,out]}. */
    CONV,
    /** torch {@code [out,in]} stored as TF {@code [in,out]}. */
    LINEAR,
    /** same shape in both. */
    SAME
  }

  /** What a variable is. */
  public enum Kind { PARAM, BUFFER, SLOT }

  /** Fresh-initialisation rule, as torchvision's model constructors. */
  public enum Init {
    /** N(0, 2/fan_in): kaiming_normal_ (DenseNet convs, the small CNN). */
    HE_NORMAL_FAN_IN,
    /** N(0, 2/fan_out): kaiming_normal_(mode='fan_out') (ResNet convs). */
    HE_NORMAL_FAN_OUT,
    /** U(-1/sqrt(fan_in), 1/sqrt(fan_in)): nn.Linear's default for weight and bias. */
    LINEAR_DEFAULT,
    ONES,
    ZEROS
  }

  public static final String BACKBONE = "backbone";

  /** TensorFlow shape of the variable. */
  public long[] tfShape() {
    switch (layout) {
      case CONV:
        return new long[] {torchShape[2], torchShape[3], torchShape[1], torchShape[0]};
      case LINEAR:
        return new long[] {torchShape[1], torchShape[0]};
      default:
        return torchShape.clone();
    }
  }

  public long size() {
    long n = 1;
    for (long d : torchShape) {
      n *= d;
    }
    return n;
  }

  /** Fan-in of a conv or linear weight; for a bias the fan-in of its layer must be given. */
  long fanIn() {
    return layout == Layout.CONV ? torchShape[1] * torchShape[2] * torchShape[3] : torchShape[torchShape.length - 1];
  }

  long fanOut() {
    return layout == Layout.CONV ? torchShape[0] * torchShape[2] * torchShape[3] : torchShape[0];
  }

  /** A slot of the same shape and layout (Adam moment, gradient accumulator). */
  VariableSpec slot(String slotName) {
    return new VariableSpec(slotName, torchShape, layout, Kind.SLOT, Init.ZEROS, group);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(torchShape);
  }
}
