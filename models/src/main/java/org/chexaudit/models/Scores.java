package org.chexaudit.models;

import java.util.List;
import java.util.Map;

/**
 * Model outputs for a list of examples, row i for example i.
 *
 * @param ids example ids, in input order
 * @param logits per head, {@code [n][classes]}
 * @param probabilities per head: sigmoid for disease, softmax for sex and race
 * @param embeddings {@code [n][embeddingSize]}: the pooled backbone features (1024 for DenseNet-121)
 */
public record Scores(List<String> ids, Map<Head, float[][]> logits, Map<Head, float[][]> probabilities,
    float[][] embeddings) {

  public int size() {
    return ids.size();
  }

  public float[][] logits(Head head) {
    return get(logits, head);
  }

  public float[][] probabilities(Head head) {
    return get(probabilities, head);
  }

  private static float[][] get(Map<Head, float[][]> m, Head head) {
    float[][] v = m.get(head);
    if (v == null) {
      throw new IllegalArgumentException("model has no " + head.key() + " head; it has " + m.keySet());
    }
    return v;
  }
}
