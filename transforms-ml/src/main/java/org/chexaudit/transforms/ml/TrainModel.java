package org.chexaudit.transforms.ml;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.chexaudit.models.TrainConfig;
import org.chexaudit.models.Trainer;
import org.chexaudit.schemas.ImageExample;
import org.chexaudit.transforms.io.Resources;
import org.chexaudit.core.imaging.TrainSubset;

/**
 * Trains one model (seeds-spec A5, A6) from {@link ImageExample} shards: a PCollection of shard paths
 * in, the finished model dir's path out; both on any Beam file system. One model is trained by one
 * process, so the paths (not the images) are gathered on one key and a single DoFn runs {@link Trainer},
 * which streams the shards every epoch through a bounded shuffle buffer: memory does not grow with the
 * number of images. Records are routed by their {@code split} field (or, when it is null, by the shard's
 * folder name) and filtered by the {@link TrainSubset} in both splits as the original's subgroup files
 * are. The shards' sorted paths and their records' order are the data's canonical order: its fingerprint,
 * and with the seed the order each epoch visits the images in. The model dir is written after every
 * epoch; one holding an unfinished run of the same config and data is resumed from its last checkpoint.
 */
public final class TrainModel extends PTransform<PCollection<String>, PCollection<String>> {
  private final String modelDir;
  private final TrainConfig config;
  private final TrainSubset subset;
  private final String trainSplit;
  private final String validationSplit;

  private TrainModel(String modelDir, TrainConfig config, TrainSubset subset, String trainSplit,
      String validationSplit) {
    this.modelDir = modelDir;
    this.config = config;
    this.subset = subset;
    this.trainSplit = trainSplit;
    this.validationSplit = validationSplit;
  }

  /** Trains into {@code modelDir} (created; an unfinished run there is resumed). */
  public static TrainModel to(String modelDir) {
    checkArgumentNotNull(modelDir, "TrainModel modelDir can not be null");
    return new TrainModel(modelDir, null, TrainSubset.all(), "train", "validate");
  }

  public TrainModel withConfig(TrainConfig config) {
    checkArgumentNotNull(config, "TrainModel config can not be null");
    return new TrainModel(modelDir, config, subset, trainSplit, validationSplit);
  }

  public TrainModel withSubset(TrainSubset s) {
    checkArgumentNotNull(s, "TrainModel subset can not be null");
    return new TrainModel(modelDir, config, s, trainSplit, validationSplit);
  }

  /** Split names of the training and the validation (checkpoint selection) images. */
  public TrainModel withSplits(String train, String validation) {
    if (train == null || validation == null || train.isBlank() || validation.isBlank() || train.equals(validation)) {
      throw new IllegalArgumentException("TrainModel splits must be two different names, got train='" + train
          + "', validation='" + validation + "'");
    }
    return new TrainModel(modelDir, config, subset, train, validation);
  }

  @Override
  public PCollection<String> expand(PCollection<String> shards) {
    checkArgumentNotNull(config, "need to set the config of a TrainModel transform (withConfig)");
    return shards
        .apply("OneTrainer", WithKeys.<String, String>of("model").withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply("GatherShards", GroupByKey.create())
        .apply("Train", ParDo.of(new TrainFn(modelDir, config, subset, trainSplit, validationSplit)))
        .setCoder(StringUtf8Coder.of());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("modelDir", modelDir))
        .add(DisplayData.item("subset", subset.name()))
        .add(DisplayData.item("splits", trainSplit + "/" + validationSplit));
    if (config != null) {
      builder.add(DisplayData.item("config", config.toMap().toString()));
    }
  }

  /**
   * Streams the shards' images of each split into the trainer, which trains in a local temporary folder
   * (TensorFlow needs one) copied to the model dir after every epoch; outputs the model dir.
   */
  static final class TrainFn extends DoFn<KV<String, Iterable<String>>, String> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final String modelDir;
    private final TrainConfig config;
    private final TrainSubset subset;
    private final String trainSplit;
    private final String validationSplit;

    TrainFn(String modelDir, TrainConfig config, TrainSubset subset, String trainSplit, String validationSplit) {
      this.modelDir = modelDir;
      this.config = config;
      this.subset = subset;
      this.trainSplit = trainSplit;
      this.validationSplit = validationSplit;
    }

    TrainConfig config() {
      return config;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<String>> shards, OutputReceiver<String> out) throws IOException {
      List<String> paths = new ArrayList<>();
      shards.getValue().forEach(paths::add);
      paths.sort(Comparator.naturalOrder());
      Path local = Files.createTempDirectory("chexaudit-train-");
      try {
        ModelDirCopy copy = ModelDirCopy.of(local, Resources.dir(modelDir));
        if (copy.targetHasCheckpoint()) {
          copy.download();
        }
        Trainer.Result r;
        try {
          r = Trainer.of(config).withSaved(dir -> copy.upload()).withLocalCopies(LocalModelCopies::of)
              .train(ShardExamples.of(paths, trainSplit, subset), ShardExamples.of(paths, validationSplit, subset), local);
        } catch (IllegalArgumentException e) {
          throw emptySet(e, paths).orElseThrow(() -> e);
        }
        if (!r.finished()) {
          throw new IllegalStateException("training stopped after epoch " + r.epochsDone() + " of " + config.epochs());
        }
        recordData(local, paths.size(), r.trainImages(), r.validationImages());
        copy.upload();
      } finally {
        deleteLocal(local);
      }
      out.output(modelDir);
    }

    /** The trainer's "set is empty" as the split, subset and shards it came from. */
    private java.util.Optional<EmptySet> emptySet(IllegalArgumentException e, List<String> paths) {
      String m = String.valueOf(e.getMessage());
      if (!m.endsWith(" set is empty")) {
        return java.util.Optional.empty();
      }
      String split = m.startsWith("train ") ? trainSplit : validationSplit;
      return java.util.Optional.of(new EmptySet("no '" + split + "' images in subset '" + subset + "' in "
          + paths.size() + " shard(s): " + abbreviate(paths), e));
    }

    /** Adds to model.json what the trainer cannot know: the subset and splits the data came from. */
    @SuppressWarnings("unchecked")
    private void recordData(Path dir, int shardCount, int trainCount, int valCount) {
      Path file = dir.resolve("model.json");
      try {
        Map<String, Object> meta = JSON.readValue(file.toFile(), LinkedHashMap.class);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("trainSubset", subset.name());
        data.put("trainSplit", trainSplit);
        data.put("validationSplit", validationSplit);
        data.put("shards", shardCount);
        data.put("trainImages", trainCount);
        data.put("validationImages", valCount);
        meta.put("data", data);
        JSON.writeValue(file.toFile(), meta);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot update " + file, e);
      }
    }

    private static void deleteLocal(Path dir) {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete the local training folder " + dir, e);
      }
    }

    private static String abbreviate(List<String> paths) {
      return paths.size() <= 3 ? paths.toString() : paths.subList(0, 3) + " ...";
    }
  }

  /** No image of a split is left after the subset filter. */
  static final class EmptySet extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    EmptySet(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
