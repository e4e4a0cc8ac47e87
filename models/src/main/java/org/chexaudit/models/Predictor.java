package org.chexaudit.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.chexaudit.schemas.ImageExample;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.types.TUint8;

/**
 * Scores images with a trained model dir's SavedModel (BatchNorm in inference mode). Thread-safe:
 * TensorFlow sessions accept concurrent runs, so one instance can serve a worker's threads; load
 * once per worker (e.g. in a DoFn's {@code @Setup}) and {@link #close()} in {@code @Teardown}.
 */
public final class Predictor implements AutoCloseable {
  private final ModelSpec spec;
  private final SavedModelBundle bundle;
  private final int batchSize;

  private Predictor(ModelSpec spec, SavedModelBundle bundle, int batchSize) {
    this.spec = spec;
    this.bundle = bundle;
    this.batchSize = batchSize;
  }

  /** Loads {@code modelDir}; images are scored in batches of 64. */
  public static Predictor load(Path modelDir) throws IOException {
    return load(modelDir, 64, 0);
  }

  /**
   * @param batchSize images per session run
   * @param threads TensorFlow threads (0: all cores)
   */
  public static Predictor load(Path modelDir, int batchSize, int threads) throws IOException {
    return load(modelDir, batchSize, threads, TfDevice.configured());
  }

  /** As {@link #load(Path, int, int)}, on {@code device} (see {@link TfDevice}). */
  public static Predictor load(Path modelDir, int batchSize, int threads, TfDevice device) throws IOException {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
    ModelDir dir = ModelDir.existing(modelDir);
    if (!Files.isRegularFile(dir.savedModel().resolve("saved_model.pb"))) {
      throw new NoSuchFileException(dir.savedModel().toString(), null,
          "model dir has no SavedModel; training has not finished (rerun train to resume)");
    }
    // Own thread pools when a thread count is given: by default TensorFlow runs every session of the process
    // on one global inter-op pool sized by the first session, so two workers at 1 thread each would share a
    // single thread.
    SavedModelBundle bundle = SavedModelBundle.loader(dir.savedModel().toString())
        .withTags(SavedModelExport.SERVE).withConfigProto(device.sessionConfig(threads, true)).load();
    return new Predictor(dir.spec(), bundle, batchSize);
  }

  public ModelSpec spec() {
    return spec;
  }

  /** Fails with a message naming both tasks unless this model has the heads of {@code task}. */
  public Predictor requireTask(Task task) {
    if (!spec.task().heads().containsAll(task.heads())) {
      throw new IllegalArgumentException("model is a " + spec.task().key() + " model; a " + task.key()
          + " model was expected");
    }
    return this;
  }

  public Scores predict(List<ImageExample> examples) {
    int n = examples.size();
    List<String> ids = new ArrayList<>(n);
    Map<Head, float[][]> logits = new EnumMap<>(Head.class);
    Map<Head, float[][]> probs = new EnumMap<>(Head.class);
    for (HeadSpec h : spec.heads()) {
      logits.put(h.head(), new float[n][]);
      probs.put(h.head(), new float[n][]);
    }
    float[][] emb = new float[n][];
    for (int from = 0; from < n; from += batchSize) {
      int to = Math.min(n, from + batchSize);
      List<byte[]> images = new ArrayList<>(to - from);
      for (ImageExample e : examples.subList(from, to)) {
        ids.add(e.getId().toString());
        images.add(ImageData.inputOf(e, spec, "input"));
      }
      try (TUint8 input = Feeds.images(images, spec.imageSize())) {
        Session.Runner run = bundle.session().runner().feed(NetworkGraph.INPUT, input);
        for (HeadSpec h : spec.heads()) {
          run.fetch("logits_" + h.head().key()).fetch("probabilities_" + h.head().key());
        }
        run.fetch("embeddings");
        try (Result r = run.run()) {
          int k = 0;
          for (HeadSpec h : spec.heads()) {
            rows(r.get(k++), h.classes(), logits.get(h.head()), from);
            rows(r.get(k++), h.classes(), probs.get(h.head()), from);
          }
          rows(r.get(k), spec.architecture().embeddingSize(), emb, from);
        }
      }
    }
    return new Scores(List.copyOf(ids), logits, probs, emb);
  }

  private static void rows(Tensor t, int cols, float[][] out, int from) {
    float[] flat = Feeds.read(t);
    for (int r = 0; r < flat.length / cols; r++) {
      out[from + r] = java.util.Arrays.copyOfRange(flat, r * cols, (r + 1) * cols);
    }
  }

  @Override
  public void close() {
    bundle.close();
  }
}
