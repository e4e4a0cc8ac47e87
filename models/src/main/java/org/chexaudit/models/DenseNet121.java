package org.chexaudit.models;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * torchvision {@code densenet121}: growth 32, blocks (6, 12, 24, 16), bn_size 4, 64 initial
 * features, compression 0.5, BN-ReLU-conv, final BN, ReLU, global average pool to 1024 features.
 * Variable names are torchvision's state-dict names.
 */
final class DenseNet121 implements Backbone {
  private static final int GROWTH = 32;
  private static final int BN_SIZE = 4;
  private static final int[] BLOCKS = {6, 12, 24, 16};
  private static final int INIT_FEATURES = 64;

  @Override
  public Operand<TFloat32> embed(LayerBuilder b, Operand<TFloat32> images) {
    Operand<TFloat32> x = b.conv("features.conv0", images, INIT_FEATURES, 7, 2, 3);
    x = b.relu(b.batchNorm("features.norm0", x));
    x = b.maxPoolAfterRelu(x, 3, 2, 1);
    int features = INIT_FEATURES;
    for (int i = 0; i < BLOCKS.length; i++) {
      x = denseBlock(b, "features.denseblock" + (i + 1), x, BLOCKS[i]);
      features += BLOCKS[i] * GROWTH;
      if (i != BLOCKS.length - 1) {
        String t = "features.transition" + (i + 1);
        features /= 2;
        x = b.relu(b.batchNorm(t + ".norm", x));
        x = b.conv(t + ".conv", x, features, 1, 1, 0);
        x = b.avgPool(x, 2, 2);
      }
    }
    x = b.relu(b.batchNorm("features.norm5", x));
    return b.globalAvgPool(x);
  }

  private static Operand<TFloat32> denseBlock(LayerBuilder b, String name, Operand<TFloat32> x, int layers) {
    List<Operand<TFloat32>> features = new ArrayList<>();
    features.add(x);
    for (int l = 1; l <= layers; l++) {
      String n = name + ".denselayer" + l;
      Operand<TFloat32> in = b.concatChannels(features);
      Operand<TFloat32> y = b.conv(n + ".conv1", b.relu(b.batchNorm(n + ".norm1", in)), BN_SIZE * GROWTH, 1, 1, 0);
      y = b.conv(n + ".conv2", b.relu(b.batchNorm(n + ".norm2", y)), GROWTH, 3, 1, 1);
      features.add(y);
    }
    return b.concatChannels(features);
  }

  @Override
  public int embeddingSize() {
    return 1024;
  }

  @Override
  public String headName() {
    return "classifier";
  }

  @Override
  public VariableSpec.Init headBiasInit() {
    return VariableSpec.Init.ZEROS; // torchvision: nn.init.constant_(m.bias, 0)
  }

  @Override
  public VariableSpec.Init convInit() {
    return VariableSpec.Init.HE_NORMAL_FAN_IN;
  }
}
