package org.chexaudit.models;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads backbone weights from an {@code .npz} keyed by torchvision state-dict names, in PyTorch
 * layout (conv {@code [out,in,kh,kw]}, linear {@code [out,in]}), float32 or float64. Every backbone
 * weight and BatchNorm buffer must be present with the model's shape; head tensors
 * ({@code classifier.*}, {@code fc.*}, {@code fc_*}) and {@code *.num_batches_tracked} are ignored,
 * since the head is always new. Any other name is an error. To export ImageNet weights:
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
    Map<String, NamedArray> arrays = Npz.read(file);
    Map<String, NamedArray> out = new LinkedHashMap<>();
    List<VariableSpec> wanted = vars.specs(s -> s.group().equals(VariableSpec.BACKBONE) && NetworkGraph.isModelState(s));
    for (VariableSpec s : wanted) {
      NamedArray a = arrays.get(s.name());
      if (a == null) {
        throw new IllegalArgumentException(file + ": tensor " + s.name() + " is missing (the model expects shape "
            + Arrays.toString(s.torchShape()) + "); is this a file for another architecture?");
      }
      if (!Arrays.equals(a.shape(), s.torchShape())) {
        throw new IllegalArgumentException(file + ": tensor " + s.name() + " has shape " + Arrays.toString(a.shape())
            + " but the model expects " + Arrays.toString(s.torchShape()));
      }
      out.put(s.name(), a);
    }
    for (String name : arrays.keySet()) {
      boolean known = out.containsKey(name) || name.endsWith(".num_batches_tracked") || isHead(name);
      if (!known) {
        throw new IllegalArgumentException(file + ": tensor " + name + " " + Arrays.toString(arrays.get(name).shape())
            + " is not part of this model's backbone");
      }
    }
    return out;
  }

  private static boolean isHead(String name) {
    return name.startsWith("classifier.") || name.startsWith("fc.") || name.startsWith("fc_");
  }
}
