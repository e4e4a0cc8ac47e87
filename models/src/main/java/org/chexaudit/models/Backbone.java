package org.chexaudit.models;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** A feature extractor: [N,H,W,3] float images to [N,D] embeddings. */
interface Backbone {
  Operand<TFloat32> embed(LayerBuilder b, Operand<TFloat32> images);

  int embeddingSize();

  /** Name of the single-task head, as in torchvision ({@code classifier} or {@code fc}). */
  String headName();

  /** torchvision's initialisation of the head's bias. */
  VariableSpec.Init headBiasInit();

  /** torchvision's initialisation of conv weights. */
  VariableSpec.Init convInit();
}
