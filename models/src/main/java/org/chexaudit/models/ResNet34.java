package org.chexaudit.models;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** torchvision {@code resnet34}: BasicBlocks (3, 4, 6, 3), widths 64-512, global average pool to 512. */
final class ResNet34 implements Backbone {
  private static final int[] BLOCKS = {3, 4, 6, 3};
  private static final int[] WIDTHS = {64, 128, 256, 512};

  @Override
  public Operand<TFloat32> embed(LayerBuilder b, Operand<TFloat32> images) {
    Operand<TFloat32> x = b.relu(b.batchNorm("bn1", b.conv("conv1", images, 64, 7, 2, 3)));
    x = b.maxPoolAfterRelu(x, 3, 2, 1);
    int in = 64;
    for (int stage = 0; stage < BLOCKS.length; stage++) {
      for (int i = 0; i < BLOCKS[stage]; i++) {
        int stride = stage > 0 && i == 0 ? 2 : 1;
        x = basicBlock(b, "layer" + (stage + 1) + "." + i, x, in, WIDTHS[stage], stride);
        in = WIDTHS[stage];
      }
    }
    return b.globalAvgPool(x);
  }

  private static Operand<TFloat32> basicBlock(LayerBuilder b, String n, Operand<TFloat32> x, int in, int out, int stride) {
    Operand<TFloat32> y = b.relu(b.batchNorm(n + ".bn1", b.conv(n + ".conv1", x, out, 3, stride, 1)));
    y = b.batchNorm(n + ".bn2", b.conv(n + ".conv2", y, out, 3, 1, 1));
    Operand<TFloat32> identity = x;
    if (stride != 1 || in != out) {
      identity = b.batchNorm(n + ".downsample.1", b.conv(n + ".downsample.0", x, out, 1, stride, 0));
    }
    return b.relu(b.add(y, identity));
  }

  @Override
  public int embeddingSize() {
    return 512;
  }

  @Override
  public String headName() {
    return "fc";
  }

  @Override
  public VariableSpec.Init headBiasInit() {
    return VariableSpec.Init.LINEAR_DEFAULT;
  }

  @Override
  public VariableSpec.Init convInit() {
    return VariableSpec.Init.HE_NORMAL_FAN_OUT;
  }
}
