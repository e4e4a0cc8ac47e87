package org.chexaudit.transforms.ml;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.chexaudit.transforms.io.ShardFiles;
import org.chexaudit.core.imaging.TrainSubset;

/**
 * Trains one model (seeds-spec A5, A6) from {@link ImageExample} shards: a PCollection of shard paths
 * in, the finished model dir's path out. One model is trained by one process, so all paths are
 * gathered on one key and a single DoFn runs {@link Trainer}. Records are routed by their
 * {@code split} field (or, when it is null, by the shard's folder name), filtered by the
 * {@link TrainSubset} in both splits as the original's subgroup files are, and sorted by id so the
 * model does not depend on how the shards were cut. A model dir holding an unfinished run of the same
 * config and data is resumed from its last checkpoint.
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

  /** Reads every shard, splits and filters the images, trains, and outputs the model dir. */
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
      List<ImageExample> train = new ArrayList<>();
      List<ImageExample> val = new ArrayList<>();
      long[] read = new long[1];
      for (String path : paths) {
        String folderSplit = Paths.get(path).getParent() == null ? null
            : Paths.get(path).getParent().getFileName().toString();
        ShardFiles.forEach(path, e -> {
          read[0]++;
          String split = e.getSplit() != null ? e.getSplit().toString() : folderSplit;
          if (subset.contains(e)) {
            if (trainSplit.equals(split)) {
              train.add(e);
            } else if (validationSplit.equals(split)) {
              val.add(e);
            }
          }
        });
      }
      for (List<ImageExample> l : List.of(train, val)) {
        l.sort(Comparator.comparing(e -> e.getId().toString()));
        if (l.isEmpty()) {
          throw new IllegalArgumentException("no '" + (l == train ? trainSplit : validationSplit) + "' images in subset '"
              + subset + "' among " + read[0] + " records of " + paths.size() + " shard(s): " + abbreviate(paths));
        }
      }
      Path dir = Paths.get(modelDir);
      Trainer.Result r = Trainer.of(config).train(train, val, dir);
      if (!r.finished()) {
        throw new IllegalStateException("training stopped after epoch " + r.epochsDone() + " of " + config.epochs());
      }
      recordData(dir, paths.size(), train.size(), val.size());
      out.output(modelDir);
    }

    /** Adds to model.json what the trainer cannot know: the subset and splits the data came from. */
    @SuppressWarnings("unchecked")
    private void recordData(Path dir, int shardCount, int trainCount, int valCount) {
      try {
        Map<String, Object> meta = JSON.readValue(dir.resolve("model.json").toFile(), LinkedHashMap.class);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("trainSubset", subset.name());
        data.put("trainSplit", trainSplit);
        data.put("validationSplit", validationSplit);
        data.put("shards", shardCount);
        data.put("trainImages", trainCount);
        data.put("validationImages", valCount);
        meta.put("data", data);
        JSON.writeValue(dir.resolve("model.json").toFile(), meta);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot update " + dir.resolve("model.json"), e);
      }
    }

    private static String abbreviate(List<String> paths) {
      return paths.size() <= 3 ? paths.toString() : paths.subList(0, 3) + " ...";
    }
  }
}
