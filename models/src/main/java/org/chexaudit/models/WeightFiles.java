package org.chexaudit.models;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Loads weights from an {@code .npz} keyed by torchvision state-dict names, in PyTorch layout (conv
 * {@code [out,in,kh,kw]}, linear {@code [out,in]}), float32 or float64.
 *
 * <p>{@link #backbone} (train's {@code initWeights}, a frozen backbone): every backbone weight and
 * BatchNorm buffer must be present with the model's shape; head tensors ({@code classifier.*},
 * {@code fc.*}, {@code fc_*}) and {@code *.num_batches_tracked} are ignored, since the head is new.
 *
 * <p>{@link #complete} ({@code import-model}): every weight and BatchNorm buffer of the backbone
 * <em>and the heads</em> must be present with the model's shape; only {@code *.num_batches_tracked}
 * is ignored. A stem conv stored for one input channel ({@code [64,1,7,7]}, as TorchXRayVision's
 * models) is accepted for the model's three identical grey channels: its kernel goes to channel 0
 * and channels 1 and 2 are zero, which computes exactly the one-channel convolution.
 *
 * <p>Any other name is an error; errors name the file, the tensor and both shapes. To export ImageNet
 * weights:
 * <pre>
 *   import numpy as np, torchvision
 *   m = torchvision.models.densenet121(weights="IMAGENET1K_V1")   # or resnet34
 *   np.savez("densenet121_imagenet.npz", **{k: v.numpy() for k, v in m.state_dict().items()})
 * </pre>
 */
public final class WeightFiles {
  private WeightFiles() {}

  /** The backbone tensors of {@code file}, checked against {@code vars}. */
  static Map<String, NamedArray> backbone(Path file, ModelVariables vars) throws IOException {
    return checked(file, Npz.read(file), vars, s -> s.group().equals(VariableSpec.BACKBONE), false,
        "is not part of this model's backbone");
  }

  /** Every weight and BatchNorm buffer of the model (backbone and heads) from {@code arrays}, read from {@code file}. */
  static Map<String, NamedArray> complete(Path file, Map<String, NamedArray> arrays, ModelVariables vars) {
    return checked(file, arrays, vars, s -> true, true, "is not part of this model");
  }

  private static Map<String, NamedArray> checked(Path file, Map<String, NamedArray> arrays, ModelVariables vars,
      Predicate<VariableSpec> group, boolean complete, String unknown) {
    Map<String, NamedArray> out = new LinkedHashMap<>();
    List<VariableSpec> wanted = vars.specs(s -> group.test(s) && NetworkGraph.isModelState(s));
    for (VariableSpec s : wanted) {
      NamedArray a = arrays.get(s.name());
      if (a == null) {
        throw new IllegalArgumentException(file + ": tensor " + s.name() + " is missing (the model expects shape "
            + Arrays.toString(s.torchShape()) + "); is this a file for another architecture"
            + (complete ? " or task?" : "?"));
      }
      if (complete && isGreyStem(s, a)) {
        a = greyToThreeChannels(a);
      }
      if (!Arrays.equals(a.shape(), s.torchShape())) {
        throw new IllegalArgumentException(file + ": tensor " + s.name() + " has shape " + Arrays.toString(a.shape())
            + " but the model expects " + Arrays.toString(s.torchShape()));
      }
      out.put(s.name(), a);
    }
    for (String name : arrays.keySet()) {
      boolean known = out.containsKey(name) || name.endsWith(".num_batches_tracked") || (!complete && isHead(name));
      if (!known) {
        throw new IllegalArgumentException(file + ": tensor " + name + " " + Arrays.toString(arrays.get(name).shape())
            + " " + unknown);
      }
    }
    return out;
  }

  /** A conv over the 3 input channels given for 1 channel ({@code [out,1,kh,kw]}). */
  static boolean isGreyStem(VariableSpec s, NamedArray a) {
    long[] want = s.torchShape();
    long[] got = a.shape();
    return s.layout() == VariableSpec.Layout.CONV && want[1] == 3 && got.length == 4 && got[1] == 1
        && got[0] == want[0] && got[2] == want[2] && got[3] == want[3];
  }

  /** {@code [out,1,kh,kw]} as {@code [out,3,kh,kw]}: the kernel in channel 0, zeros in channels 1 and 2. */
  static NamedArray greyToThreeChannels(NamedArray a) {
    long[] s = a.shape();
    int out = (int) s[0];
    int k = (int) (s[2] * s[3]);
    float[] v = new float[out * 3 * k];
    for (int o = 0; o < out; o++) {
      System.arraycopy(a.values(), o * k, v, o * 3 * k, k);
    }
    return new NamedArray(a.name(), new long[] {s[0], 3, s[2], s[3]}, v);
  }

  private static boolean isHead(String name) {
    return name.startsWith("classifier.") || name.startsWith("fc.") || name.startsWith("fc_");
  }
}
