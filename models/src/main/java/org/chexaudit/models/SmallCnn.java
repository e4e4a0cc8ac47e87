package org.chexaudit.models;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A small conv net for tests and demos: three conv-BN-ReLU stages (16, 32, 64 channels, the first
 * two followed by 2x2 max pooling), global average pool to a 64-d embedding.
 */
final class SmallCnn implements Backbone {
  private static final int[] WIDTHS = {16, 32, 64};

  @Override
  public Operand<TFloat32> embed(LayerBuilder b, Operand<TFloat32> images) {
    Operand<TFloat32> x = images;
    for (int i = 0; i < WIDTHS.length; i++) {
      x = b.relu(b.batchNorm("features.norm" + i, b.conv("features.conv" + i, x, WIDTHS[i], 3, 1, 1)));
      if (i < WIDTHS.length - 1) {
        x = b.maxPoolAfterRelu(x, 2, 2, 0);
      }
    }
    return b.globalAvgPool(x);
  }

  @Override
  public int embeddingSize() {
    return WIDTHS[WIDTHS.length - 1];
  }

  @Override
  public String headName() {
    return "classifier";
  }

  @Override
  public VariableSpec.Init headBiasInit() {
    return VariableSpec.Init.ZEROS;
  }

  @Override
  public VariableSpec.Init convInit() {
    return VariableSpec.Init.HE_NORMAL_FAN_IN;
  }
}
