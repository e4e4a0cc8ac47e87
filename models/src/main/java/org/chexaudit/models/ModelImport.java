package org.chexaudit.models;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.TensorFlow;

/**
 * Turns a torchvision-format state dict ({@code .npz}, see {@link WeightFiles}) of a DenseNet-121 or
 * ResNet-34 with its head into a {@link ModelDir} that {@link Predictor} scores with, without training:
 * BatchNorm runs in inference mode on the file's running mean and variance.
 *
 * <pre>
 *   ModelImport w = ModelImport.read(Path.of("model.npz"));     // architecture, heads, sizes from the names
 *   ModelSpec spec = w.spec(Task.DISEASE, 224, InputRecipe.IMAGENET_CENTRE_CROP);
 *   w.write(spec, Map.of(Head.DISEASE, labels), modelDir, 0);
 * </pre>
 *
 * The model dir holds {@code model.json} (spec, labels, the source file's size and SHA-256),
 * {@code best/weights.npz} (every weight and buffer, torchvision names) and {@code saved_model/}.
 */
public final class ModelImport {
  private final Path file;
  /** What the file is called in messages and in {@code model.json}: its own path, or where it was copied from. */
  private final String source;
  private final Map<String, NamedArray> arrays;
  private final Architecture architecture;
  private final Map<Head, Integer> headClasses;
  private final boolean multitask;
  private final int inputChannels;

  private ModelImport(Path file, String source, Map<String, NamedArray> arrays, Architecture architecture,
      Map<Head, Integer> headClasses, boolean multitask, int inputChannels) {
    this.file = file;
    this.source = source;
    this.arrays = arrays;
    this.architecture = architecture;
    this.headClasses = headClasses;
    this.multitask = multitask;
    this.inputChannels = inputChannels;
  }

  /**
   * Reads {@code file} and tells its architecture, head sizes and input channels from the tensor names
   * and shapes; fails naming the file and the tensor when it is not a DenseNet-121 or ResNet-34 with a
   * head.
   */
  public static ModelImport read(Path file) throws IOException {
    return read(file, file.toAbsolutePath().toString());
  }

  /** As {@link #read(Path)}, for a local copy of the file {@code source} (e.g. one on {@code hdfs://}). */
  public static ModelImport read(Path file, String source) throws IOException {
    Map<String, NamedArray> arrays = Npz.read(file);
    Architecture arch;
    String stem;
    if (arrays.containsKey("features.conv0.weight")) {
      arch = Architecture.DENSENET121;
      stem = "features.conv0.weight";
    } else if (arrays.containsKey("conv1.weight") && arrays.containsKey("layer1.0.conv1.weight")) {
      arch = Architecture.RESNET34;
      stem = "conv1.weight";
    } else {
      throw new IllegalArgumentException(source + ": neither features.conv0.weight (DenseNet-121) nor conv1.weight and"
          + " layer1.0.conv1.weight (ResNet-34) is present; not a torchvision DenseNet-121 or ResNet-34 state dict");
    }
    long[] stemShape = arrays.get(stem).shape();
    if (stemShape.length != 4 || (stemShape[1] != 1 && stemShape[1] != 3)) {
      throw new IllegalArgumentException(source + ": tensor " + stem + " has shape " + Arrays.toString(stemShape)
          + "; expected [64, 3, 7, 7] (RGB) or [64, 1, 7, 7] (one grey channel)");
    }
    Map<Head, Integer> classes = new EnumMap<>(Head.class);
    boolean multitask = false;
    for (Head h : Head.values()) {
      String w = "fc_" + h.key() + ".weight";
      if (arrays.containsKey(w)) {
        multitask = true;
        classes.put(h, headRows(source, arrays, w, arch));
      }
    }
    if (multitask) {
      for (Head h : Head.values()) {
        if (!classes.containsKey(h)) {
          throw new IllegalArgumentException(source + ": tensor fc_" + h.key() + ".weight is missing; a multitask state"
              + " dict has the heads fc_disease, fc_sex and fc_race");
        }
      }
    } else {
      String w = arch.backbone().headName() + ".weight";
      if (!arrays.containsKey(w)) {
        throw new IllegalArgumentException(source + ": tensor " + w + " is missing: the file has no head to import"
            + " (a backbone-only file is for train --initWeights)");
      }
      classes.put(Head.DISEASE, headRows(source, arrays, w, arch));
    }
    return new ModelImport(file, source, arrays, arch, classes, multitask, (int) stemShape[1]);
  }

  private static int headRows(String source, Map<String, NamedArray> arrays, String name, Architecture arch) {
    long[] s = arrays.get(name).shape();
    if (s.length != 2 || s[1] != arch.embeddingSize() || s[0] < 1) {
      throw new IllegalArgumentException(source + ": tensor " + name + " has shape " + Arrays.toString(s)
          + " but a " + key(arch) + " head takes " + arch.embeddingSize() + " features: expected [outputs, "
          + arch.embeddingSize() + "]");
    }
    return (int) s[0];
  }

  public Path file() {
    return file;
  }

  public Architecture architecture() {
    return architecture;
  }

  /** 3 for torchvision's RGB stem, 1 for a grey stem (TorchXRayVision). */
  public int inputChannels() {
    return inputChannels;
  }

  /** Whether the file holds the three heads {@code fc_disease}, {@code fc_sex}, {@code fc_race}. */
  public boolean multitask() {
    return multitask;
  }

  /** Number of outputs of the single head ({@code classifier} or {@code fc}), or of the multitask disease head. */
  public int outputs() {
    return headClasses.get(Head.DISEASE);
  }

  /**
   * The spec of this file's model for {@code task} (null: multitask for a multitask file, else disease), with
   * the head sizes of the file; fails when the task does not fit the head.
   */
  public ModelSpec spec(Task task, int imageSize, InputRecipe input) {
    Task t = task != null ? task : multitask ? Task.MULTITASK : Task.DISEASE;
    if (multitask != (t == Task.MULTITASK)) {
      throw new IllegalArgumentException(source + (multitask ? " holds the heads fc_disease, fc_sex and fc_race, a"
          + " multitask model; task " + t.key() + " does not fit it" : " holds one head ("
          + architecture.backbone().headName() + ".weight); task multitask needs fc_disease, fc_sex and fc_race"));
    }
    ModelSpec spec = new ModelSpec(architecture, imageSize, t, headClasses.get(Head.DISEASE), input);
    for (HeadSpec h : spec.heads()) {
      int got = multitask ? headClasses.get(h.head()) : headClasses.get(Head.DISEASE);
      if (got != h.classes()) {
        throw new IllegalArgumentException(source + ": tensor " + h.name() + ".weight has " + got + " outputs but a "
            + h.head().key() + " head has " + h.classes() + (h.head() == Head.DISEASE ? "" : " classes"
            + (h.head() == Head.SEX ? " (male, female)" : " (White, Asian, Black)")));
      }
    }
    return spec;
  }

  /**
   * Writes the model dir into {@code dir} (created if missing): {@code best/weights.npz}, {@code saved_model/},
   * then {@code model.json}. Every tensor of the model must be in the file with its shape, and every tensor
   * of the file must belong to the model (else the error names the tensor and the file).
   *
   * @param labels names of each head's outputs, one per output; a head left out is named {@code class_i}
   * @param threads TensorFlow threads (0: all cores)
   */
  public ModelDir write(ModelSpec spec, Map<Head, List<String>> labels, Path dir, int threads) throws IOException {
    if (spec.architecture() != architecture) {
      throw new IllegalArgumentException(source + " holds a " + key(architecture) + " but the spec is a "
          + key(spec.architecture()));
    }
    Map<String, Object> labelMap = new LinkedHashMap<>();
    for (HeadSpec h : spec.heads()) {
      List<String> names = labels.get(h.head());
      if (names == null) {
        names = new ArrayList<>();
        for (int i = 0; i < h.classes(); i++) {
          names.add("class_" + i);
        }
      }
      if (names.size() != h.classes()) {
        throw new IllegalArgumentException(names.size() + " labels given for the " + h.head().key() + " head but "
            + h.name() + ".weight in " + source + " has " + h.classes() + " outputs");
      }
      labelMap.put(h.head().key(), List.copyOf(names));
    }
    ModelDir out = ModelDir.at(dir);
    Map<String, NamedArray> values;
    try (NetworkGraph g = NetworkGraph.inference(spec, threads)) {
      values = WeightFiles.complete(file, arrays, g.vars);
      g.vars.write(g.session, values); // TensorFlow's own shape check, before anything is written
    }
    Files.createDirectories(out.bestWeights().getParent());
    Npz.write(out.bestWeights(), values);
    SavedModelExport.export(spec, out.bestWeights(), out.savedModel(), threads);
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("weights", this.source);
    source.put("bytes", Files.size(file));
    source.put("sha256", sha256(file));
    source.put("tensors", arrays.size());
    source.put("inputChannels", inputChannels);
    if (inputChannels == 1) {
      source.put("stem", "one-channel kernel placed on channel 0 of the three identical grey channels");
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("format", 1);
    meta.put("spec", ModelDir.specMap(spec));
    meta.put("labels", labelMap);
    meta.put("imported", source);
    meta.put("batchNorm", "inference mode: running mean and variance from the file, eps " + LayerBuilder.BN_EPS);
    meta.put("tensorflow", TensorFlow.version());
    ModelDir.writeJson(out.modelJson(), meta);
    return out;
  }

  private static String key(Architecture a) {
    return a.name().toLowerCase(java.util.Locale.ROOT);
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n = in.read(buf); n > 0; n = in.read(buf)) {
        d.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
