package org.chexaudit.transforms.ml;

import java.io.Serializable;
import org.chexaudit.models.Predictor;

/**
 * The {@link Predictor}s loaded in this JVM, one per model path and settings, shared by the
 * {@link RunInference} DoFn instances of a worker (issue 18 item 5): the first {@code @Setup} loads it,
 * the last {@code @Teardown} closes it. A worker with several slots thus holds the model's weights and
 * TensorFlow session once, not once per slot; TensorFlow sessions take concurrent runs.
 */
final class SharedPredictors {
  /** What makes two loads the same: the model's path, images per run, TensorFlow threads. */
  record Key(String modelDir, int batchSize, int threads) implements Serializable {}

  static final SharedResource<Key, Predictor> LOADED = new SharedResource<>(
      k -> Predictor.load(LocalModelCopies.of(k.modelDir()), k.batchSize(), k.threads()));

  private SharedPredictors() {}
}
