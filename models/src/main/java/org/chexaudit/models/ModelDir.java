package org.chexaudit.models;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Layout of a model directory:
 * <pre>
 *   model.json             spec, training config, data fingerprints, TF version
 *   training_log.csv       epoch, train_loss, val_loss, seconds, images_per_s (+ per head for multitask)
 *   checkpoints/last.npz   every variable incl. Adam state and trainer counters (resume point)
 *   best/weights.npz       weights + BatchNorm buffers of the lowest validation loss, torchvision names
 *   best/best.json         epoch and validation loss of that checkpoint
 *   saved_model/           TF SavedModel of best/, signatures serving_default, logits, probabilities, embeddings
 * </pre>
 */
public final class ModelDir {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path root;

  private ModelDir(Path root) {
    this.root = root;
  }

  public static ModelDir at(Path root) {
    return new ModelDir(root);
  }

  /** An existing, finished model dir; fails with a clear message otherwise. */
  public static ModelDir existing(Path root) throws NoSuchFileException {
    if (!Files.isDirectory(root)) {
      throw new NoSuchFileException(root.toString(), null, "model dir does not exist");
    }
    ModelDir d = new ModelDir(root);
    for (Path p : new Path[] {d.modelJson(), d.bestWeights()}) {
      if (!Files.isRegularFile(p)) {
        throw new NoSuchFileException(p.toString(), null, "not a trained model dir (missing " + root.relativize(p) + ")");
      }
    }
    return d;
  }

  public Path root() {
    return root;
  }

  public Path modelJson() {
    return root.resolve("model.json");
  }

  public Path trainingLog() {
    return root.resolve("training_log.csv");
  }

  public Path lastCheckpoint() {
    return root.resolve("checkpoints").resolve("last.npz");
  }

  public Path bestWeights() {
    return root.resolve("best").resolve("weights.npz");
  }

  public Path bestJson() {
    return root.resolve("best").resolve("best.json");
  }

  public Path savedModel() {
    return root.resolve("saved_model");
  }

  /** The model's spec as recorded in model.json. */
  public ModelSpec spec() throws IOException {
    return spec(readJson(modelJson()));
  }

  /** The spec recorded in the text of a {@code model.json} read from anywhere (e.g. a Beam file system). */
  @SuppressWarnings("unchecked")
  public static ModelSpec specOf(String modelJson) throws IOException {
    return spec(JSON.readValue(modelJson, Map.class));
  }

  private static ModelSpec spec(Map<?, ?> modelJson) {
    Map<?, ?> spec = (Map<?, ?>) modelJson.get("spec");
    Map<?, ?> input = (Map<?, ?>) spec.get("input");
    return new ModelSpec(Architecture.parse((String) spec.get("architecture")),
        ((Number) spec.get("imageSize")).intValue(), Task.parse((String) spec.get("task")),
        ((Number) spec.get("diseaseClasses")).intValue(),
        input == null ? InputRecipe.RAW : InputRecipe.parse((String) input.get("recipe")));
  }

  static Map<String, Object> specMap(ModelSpec s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("architecture", s.architecture().name().toLowerCase(java.util.Locale.ROOT));
    m.put("imageSize", s.imageSize());
    m.put("task", s.task().key());
    m.put("diseaseClasses", s.diseaseClasses());
    m.put("embeddingSize", s.architecture().embeddingSize());
    Map<String, Object> heads = new LinkedHashMap<>();
    for (HeadSpec h : s.heads()) {
      heads.put(h.head().key(), Map.of("name", h.name(), "classes", h.classes(),
          "activation", h.head().multiLabel() ? "sigmoid" : "softmax"));
    }
    m.put("heads", heads);
    if (s.input() != InputRecipe.RAW) {
      // Absent for RAW, so chexploration's model.json is as before this field existed.
      Map<String, Object> input = new LinkedHashMap<>();
      input.put("recipe", s.input().key());
      input.put("centreCrop", s.input().centreCrop());
      input.put("scale", "1/255");
      input.put("mean", floats(s.input().mean()));
      input.put("std", floats(s.input().std()));
      m.put("input", input);
    }
    return m;
  }

  private static java.util.List<Float> floats(float[] v) {
    java.util.List<Float> out = new java.util.ArrayList<>();
    for (float f : v) {
      out.add(f);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> readJson(Path p) throws IOException {
    if (!Files.isRegularFile(p)) {
      throw new NoSuchFileException(p.toString());
    }
    return JSON.readValue(p.toFile(), Map.class);
  }

  static void writeJson(Path p, Object value) {
    try {
      Files.createDirectories(p.getParent());
      Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
      JSON.writeValue(tmp.toFile(), value);
      Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + p, e);
    }
  }
}
