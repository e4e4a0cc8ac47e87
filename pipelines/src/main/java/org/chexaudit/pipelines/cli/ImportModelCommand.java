package org.chexaudit.pipelines.cli;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chexaudit.models.Architecture;
import org.chexaudit.models.Head;
import org.chexaudit.models.HeadSpec;
import org.chexaudit.models.InputRecipe;
import org.chexaudit.models.ModelImport;
import org.chexaudit.models.ModelSpec;
import org.chexaudit.models.Task;
import org.chexaudit.pipelines.options.ImportModelOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.chexaudit.pipelines.stage.StageOutput;
import org.chexaudit.transforms.io.Resources;

/**
 * The {@code import-model} command (issue 14): turns a torchvision-format state dict ({@code .npz}) of a
 * DenseNet-121 or ResNet-34 with its head into a model dir that {@code predict} scores with, without
 * training ({@link ModelImport}): {@code model.json} (spec, input recipe, labels, the source's SHA-256),
 * {@code best/weights.npz}, {@code saved_model/} and {@code _MANIFEST.json}. A file whose tensor names or
 * shapes do not fit the model is refused, naming the tensor and the file. Nothing passes through a Beam
 * pipeline: the work is one file in, one small folder out. Both are Beam paths: a file on another file
 * system is copied to a local scratch folder to be read, and the model folder is written locally, then
 * uploaded, where the output is not local ({@link LocalScratch}).
 */
public final class ImportModelCommand {
  private static final Logger LOG = LoggerFactory.getLogger(ImportModelCommand.class);
  static final String COMMAND = "import-model";
  static final String CHEXPERT_LABELS = "/datafiles/chexpert/labels.txt";
  static final String XRV_LABELS = "/datafiles/torchxrayvision/labels.txt";

  private ImportModelCommand() {}

  public static void main(String[] args) {
    Cli.run(COMMAND, args, ImportModelOptions.class, ImportModelCommand::run);
  }

  /** Imports the file into {@code --output}; returns the finished model dir's path. */
  public static String run(ImportModelOptions options) {
    String weightsPath = Resources.absolute(options.getWeights());
    ResourceId weightsFile = Resources.requireFile("--weights", options.getWeights());
    int size = options.getImageSize() == null ? 224 : options.getImageSize();
    if (size < 16) {
      throw new IllegalArgumentException("--imageSize must be >= 16, got " + size);
    }
    Task task = Task.parse(options.getTask());
    StageOutput out = StageOutput.begin(COMMAND, Resources.absolute(options.getOutput()), options.getOverwrite())
        .withInput("weights", weightsPath);
    LocalScratch scratch = new LocalScratch();
    try {
      long start = System.nanoTime();
      ModelImport weights;
      try {
        weights = ModelImport.read(scratch.localCopy(weightsFile), weightsPath);
      } catch (IOException e) {
        throw new IllegalArgumentException("--weights " + weightsPath + ": not a readable .npz: " + e.getMessage(), e);
      }
      if (options.getArchitecture() != null) {
        Architecture wanted = Architecture.parse(options.getArchitecture());
        if (wanted != weights.architecture()) {
          throw new IllegalArgumentException("--architecture=" + options.getArchitecture() + " but " + weightsPath
              + " holds a " + key(weights.architecture()) + " (told from its tensor names)");
        }
      }
      InputRecipe recipe = options.getInputRecipe() != null ? InputRecipe.parse(options.getInputRecipe())
          : weights.inputChannels() == 1 ? InputRecipe.TORCHXRAYVISION : InputRecipe.IMAGENET_CENTRE_CROP;
      ModelSpec spec = weights.spec(task, size, recipe);
      Map<Head, List<String>> labels = labels(options, spec, weights.inputChannels());
      // TensorFlow writes the SavedModel into a local folder: the output itself when it is local, else a
      // scratch folder uploaded into the output afterwards
      Path modelDir = scratch.localFolderFor(out.dir());
      try {
        weights.write(spec, labels, modelDir, options.getThreads());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the model dir into " + modelDir, e);
      }
      scratch.uploadInto(modelDir, out.dir());
      Map<String, Object> opts = new LinkedHashMap<>();
      opts.put("weights", weightsPath);
      opts.put("architecture", key(spec.architecture()));
      opts.put("task", spec.task().key());
      opts.put("inputRecipe", recipe.key());
      opts.put("imageSize", size);
      opts.put("labels", options.getHeadLabels());
      Map<String, Object> counts = new LinkedHashMap<>();
      for (HeadSpec h : spec.heads()) {
        counts.put(h.head().key() + "Outputs", h.classes());
      }
      counts.put("inputChannels", weights.inputChannels());
      String done = out.commit(opts, counts);
      LOG.info(String.format(Locale.ROOT, "import-model: %s %s model, %s input at %dx%d, heads %s, in %.1f s -> %s",
          key(spec.architecture()), spec.task().key(), recipe.key(), size, size, labels.keySet(),
          (System.nanoTime() - start) / 1e9, done));
      return done;
    } catch (RuntimeException e) {
      out.abort();
      throw e;
    } finally {
      scratch.close();
    }
  }

  /** The names of each head's outputs: --headLabels for the disease (or single) head, else defaults by size. */
  static Map<Head, List<String>> labels(ImportModelOptions o, ModelSpec spec, int inputChannels) {
    Map<Head, List<String>> out = new EnumMap<>(Head.class);
    for (HeadSpec h : spec.heads()) {
      switch (h.head()) {
        case SEX:
          out.put(Head.SEX, List.of("male", "female"));
          break;
        case RACE:
          out.put(Head.RACE, List.of("White", "Asian", "Black"));
          break;
        default:
          if (o.getHeadLabels() == null && h.classes() == 14) {
            out.put(Head.DISEASE, resourceLines(CHEXPERT_LABELS));
          } else if (o.getHeadLabels() == null && h.classes() == 18 && inputChannels == 1) {
            out.put(Head.DISEASE, resourceLines(XRV_LABELS));
          }
      }
    }
    if (o.getHeadLabels() != null) {
      Head first = spec.heads().get(0).head();
      List<String> given = labelList(o.getHeadLabels());
      if (given.size() != spec.head(first).classes()) {
        throw new IllegalArgumentException("--headLabels names " + given.size() + " outputs but the " + first.key()
            + " head (" + spec.head(first).name() + ".weight) in " + o.getWeights() + " has "
            + spec.head(first).classes());
      }
      out.put(first, given);
    }
    return out;
  }

  private static List<String> labelList(String value) {
    if (!value.contains(",")) {
      ResourceId file = Resources.file(value);
      if (Resources.exists(file)) {
        return names(List.of(Resources.readString(file).split("\n")));
      }
    }
    return Cli.commaList(value);
  }

  private static List<String> resourceLines(String resource) {
    try (InputStream in = ImportModelCommand.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("resource " + resource + " not on the classpath (datafiles module)");
      }
      return names(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  private static List<String> names(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      String t = l.strip();
      if (!t.isEmpty() && !t.startsWith("#")) {
        out.add(t);
      }
    }
    return out;
  }

  private static String key(Architecture a) {
    return a.name().toLowerCase(java.util.Locale.ROOT);
  }
}
