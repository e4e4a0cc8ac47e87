package org.chexaudit.pipelines;

import org.chexaudit.pipelines.cli.Cli;
import org.chexaudit.pipelines.stage.StageOutput;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.chexaudit.models.Architecture;
import org.chexaudit.models.ChexclusionPreset;
import org.chexaudit.models.Head;
import org.chexaudit.models.ModelDir;
import org.chexaudit.models.ModelSpec;
import org.chexaudit.models.Regimen;
import org.chexaudit.models.Task;
import org.chexaudit.models.TrainConfig;
import org.chexaudit.pipelines.options.TrainOptions;
import org.chexaudit.schemas.TrustedSchemas;
import org.chexaudit.transforms.io.Resources;
import org.chexaudit.transforms.ml.TrainModel;
import org.chexaudit.core.imaging.TrainSubset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.chexaudit.pipelines.stage.OptionsManifest;
import org.chexaudit.pipelines.options.SeedOption;
import org.chexaudit.pipelines.options.Protocol;

/**
 * The {@code train} command (seeds-spec A5, A6): trains one model from the preprocess stage's image
 * shards and writes its model dir (checkpoints, best weights, SavedModel, {@code training_log.csv},
 * {@code model.json} with the options and data fingerprints). Shards and output may be on any Beam file
 * system. Training streams the shards (memory: {@code --shuffleBuffer} images) and copies the model dir
 * after every epoch into a work folder beside the output ({@code .<name>.training}); a killed run resumes
 * there from its last checkpoint, and the finished model dir is moved into place with a manifest. {@code --protocol=chexclusion} trains with
 * CheXclusion's preset ({@link ChexclusionPreset}) and {@code --seeds} trains one model per seed into
 * {@code <output>/seed<N>/} ({@link SeedRuns}).
 */
public final class TrainPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(TrainPipeline.class);
  static final String COMMAND = "train";
  /** Seed of initialisation, shuffling and augmentation without {@code --seed}: the original's 42. */
  static final long DEFAULT_SEED = 42;

  private TrainPipeline() {}

  public static void main(String[] args) {
    Cli.run(COMMAND, args, TrainOptions.class, TrainPipeline::run);
  }

  /**
   * Validates the options and shards, trains, and moves the finished model dir into place; with
   * {@code --seeds}, one model per seed, skipping seeds already trained with the same config. Returns
   * the last training's result (null when every seed was already trained).
   */
  public static PipelineResult run(TrainOptions options) {
    TrustedSchemas.install();
    String shardRoot = shardRoot(options.getShards());
    List<String> trainShards = shardFiles(options.getShards(), shardRoot, options.getTrainSplit());
    List<String> valShards = shardFiles(options.getShards(), shardRoot, options.getValidationSplit());
    boolean crop = options.getProtocol() == Protocol.chexclusion;
    TrainConfig config = config(options, crop ? ImageShards.shorterSide(trainShards) : ImageShards.imageSize(trainShards));
    if (config.task().heads().contains(Head.DISEASE)) {
      // As many disease outputs as the shards have labels: 14, or 8 for CheXclusion's union.
      config = config.withDiseaseClasses(ImageShards.labelCount(trainShards));
    }
    List<Long> seeds = SeedRuns.parse(options.getSeeds());
    TrainSubset subset = TrainSubset.parse(options.getTrainSubset());
    List<String> shards = new ArrayList<>(trainShards);
    shards.addAll(valShards);
    String output = Resources.path(Resources.dir(options.getOutput()));
    if (seeds.isEmpty()) {
      return trainOne(options, config, subset, shards, shardRoot, output);
    }
    PipelineResult last = null;
    for (long seed : seeds) {
      String target = Resources.path(Resources.dir(Resources.dir(output), "seed" + seed));
      if (!options.getOverwrite() && alreadyTrained(target, config.withSeed(seed))) {
        LOG.info(String.format("train: seed %d already trained in %s", seed, target));
        continue;
      }
      last = trainOne(options, config.withSeed(seed), subset, shards, shardRoot, target);
    }
    return last;
  }

  private static PipelineResult trainOne(TrainOptions options, TrainConfig config, TrainSubset subset,
      List<String> shards, String shardRoot, String target) {
    StageOutput out = StageOutput.begin(COMMAND, target, options.getOverwrite()).withInput("images", shardRoot);
    String work = workDir(target);
    try {
      long start = System.nanoTime();
      Pipeline p = Pipeline.create(options);
      p.apply("ShardPaths", Create.of(shards).withCoder(StringUtf8Coder.of()))
          .apply("TrainModel", TrainModel.to(work).withConfig(config).withSubset(subset)
              .withSplits(options.getTrainSplit(), options.getValidationSplit()));
      PipelineResult result;
      try {
        result = p.run();
        result.waitUntilFinish();
      } catch (Pipeline.PipelineExecutionException e) {
        throw unwrap(e, work);
      }
      moveContents(work, out.dir());
      Map<String, Object> model = readJson(out.file("model.json"));
      String done = out.commit(manifestOptions(options, config), Map.of("data", model.get("data")));
      LOG.info(String.format("train: %s %s model (seed %d) on %s images in %.1f s -> %s", config.task().key(),
          options.getArch(), config.seed(), ((Map<?, ?>) model.get("data")).get("trainImages"),
          (System.nanoTime() - start) / 1e9, done));
      return result;
    } catch (RuntimeException e) {
      out.abort();
      throw e;
    }
  }

  /**
   * The trainer's config from the options: the protocol's defaults (for chexclusion the dataset's
   * preset), then every option given explicitly. {@code shardSize} is the shards' image side (for
   * chexclusion their shorter side, the centre crop).
   */
  static TrainConfig config(TrainOptions o, int shardSize) {
    if (o.getImageSize() != null && o.getImageSize() != shardSize) {
      throw new IllegalArgumentException("--imageSize=" + o.getImageSize() + " but the shards in " + o.getShards()
          + " hold " + shardSize + "x" + shardSize + " images; preprocess with --imageSize=" + o.getImageSize()
          + " or drop the option");
    }
    Task task = Task.parse(o.getTask());
    Architecture arch = Architecture.parse(o.getArch() == null ? "densenet121" : o.getArch());
    TrainConfig c = protocolDefaults(o, TrainConfig.of(task, arch).withImageSize(shardSize));
    if (o.getBatchSize() != null) {
      c = c.withBatchSize(o.getBatchSize());
    }
    if (o.getLearningRate() != null) {
      c = c.withLearningRate(o.getLearningRate().floatValue());
    }
    c = c.withSeed(SeedOption.seedOr(o, DEFAULT_SEED)).withAugment(o.getAugment()).withThreads(o.getThreads());
    if (o.getShuffleBuffer() < 1) {
      throw new IllegalArgumentException("--shuffleBuffer must be at least 1, got " + o.getShuffleBuffer());
    }
    c = c.withShuffleBuffer(o.getShuffleBuffer());
    if (o.getEpochs() != null) {
      c = c.withEpochs(o.getEpochs());
    }
    if (o.getMicroBatchSize() != null) {
      c = c.withMicroBatchSize(o.getMicroBatchSize());
    }
    if (o.getInitWeights() != null) {
      Resources.requireFile("--initWeights", o.getInitWeights());
      c = c.withInitWeights(Resources.absolute(o.getInitWeights()));
    }
    if (o.getFreezeBackboneFrom() != null) {
      checkFrozenSource(o, task, arch, shardSize);
      c = c.withFreezeBackboneFrom(Resources.absolute(o.getFreezeBackboneFrom()), o.getStrictLinearProbe());
    } else if (o.getStrictLinearProbe()) {
      throw new IllegalArgumentException("--strictLinearProbe needs --freezeBackboneFrom");
    }
    if (o.getClassWeights() != null) {
      c = c.withClassWeights(parseWeights(o.getClassWeights()));
    }
    return c;
  }

  /** chexploration's defaults as they are, or CheXclusion's preset with --patience / --rotationDegrees. */
  private static TrainConfig protocolDefaults(TrainOptions o, TrainConfig base) {
    Regimen.Protocol protocol = o.getProtocol().regimen();
    if (protocol == Regimen.Protocol.CHEXPLORATION) {
      if (o.getPatience() != null || o.getRotationDegrees() != null) {
        throw new IllegalArgumentException("--patience and --rotationDegrees change CheXclusion's preset;"
            + " add --protocol=chexclusion or drop them");
      }
      return base;
    }
    if (base.task() != Task.DISEASE) {
      throw new IllegalArgumentException("--protocol=chexclusion trains CheXclusion's multi-label disease model;"
          + " --task=" + base.task().key() + " is not disease");
    }
    ChexclusionPreset preset = ChexclusionPreset.of(o.getDataset().name());
    TrainConfig c = preset.applyTo(base);
    double degrees = o.getRotationDegrees() != null ? o.getRotationDegrees() : preset.rotationDegrees();
    int patience = o.getPatience() != null ? o.getPatience() : preset.patience();
    try {
      return c.withRegimen(Regimen.chexclusion(degrees, patience));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--rotationDegrees=" + degrees + " --patience=" + patience + ": "
          + e.getMessage(), e);
    }
  }

  /** SPLIT trains a sex or race head on a disease model's backbone of the same shape. */
  private static void checkFrozenSource(TrainOptions o, Task task, Architecture arch, int size) {
    String from = o.getFreezeBackboneFrom();
    if (task != Task.SEX && task != Task.RACE) {
      throw new IllegalArgumentException("--freezeBackboneFrom trains a new sex or race head on frozen disease"
          + " features; --task=" + task.key() + " is not sex or race");
    }
    ModelSpec spec;
    ResourceId modelJson = Resources.file(Resources.dir(from), "model.json");
    if (!Resources.exists(modelJson)) {
      throw new IllegalArgumentException("--freezeBackboneFrom " + from + ": not a model folder (no "
          + Resources.path(modelJson) + ")");
    }
    try {
      spec = ModelDir.specOf(Resources.readString(modelJson));
    } catch (IOException e) {
      throw new UncheckedIOException("--freezeBackboneFrom " + from + ": cannot read model.json", e);
    }
    if (spec.task() != Task.DISEASE) {
      throw new IllegalArgumentException("--freezeBackboneFrom " + from + " is a " + spec.task().key()
          + " model; SPLIT needs a disease model");
    }
    if (spec.architecture() != arch || spec.imageSize() != size) {
      throw new IllegalArgumentException("--freezeBackboneFrom " + from + " is a "
          + spec.architecture().name().toLowerCase() + " for " + spec.imageSize() + "x" + spec.imageSize()
          + " images; this run is --arch=" + o.getArch() + " on " + size + "x" + size + " images");
    }
  }

  static float[] parseWeights(String s) {
    try {
      String[] parts = s.split(",");
      float[] w = new float[parts.length];
      for (int i = 0; i < parts.length; i++) {
        w[i] = Float.parseFloat(parts[i].trim());
      }
      return w;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--classWeights '" + s + "' must be numbers like 1,6,11");
    }
  }

  /** {@code DIR/images} when it holds files, else {@code DIR} itself (a folder of split folders), absolute. */
  static String shardRoot(String shards) {
    ResourceId dir = Resources.dir(shards);
    ResourceId images = Resources.dir(dir, "images");
    return Resources.path(Resources.hasFiles(images) ? images : dir);
  }

  /** The {@code .avro} shards of {@code split} under {@code root}, sorted; fails naming the folder when there are none. */
  static List<String> shardFiles(String shards, String root, String split) {
    ResourceId dir = Resources.dir(Resources.dir(root), split);
    List<String> files = Resources.list(dir, "*.avro").stream().map(m -> Resources.path(m.resourceId())).toList();
    if (files.isEmpty()) {
      throw new IllegalArgumentException("--shards " + shards + ": no '" + split + "' shards in " + Resources.path(dir)
          + " (expected the preprocess output's images/<split>/part-*.avro)");
    }
    return files;
  }

  /**
   * Whether {@code dir} holds a finished model of {@code config}; fails when it holds one trained with
   * other settings, so a rerun never mixes models of different configs.
   */
  static boolean alreadyTrained(String dir, TrainConfig config) {
    if (!StageOutput.isFinished(dir)) {
      return false;
    }
    ResourceId modelJson = Resources.file(Resources.dir(dir), "model.json");
    try {
      ObjectMapper json = new ObjectMapper();
      JsonNode stored = json.readTree(Resources.readString(modelJson)).get("config");
      JsonNode wanted = json.readTree(json.writeValueAsString(config.toMap()));
      if (!wanted.equals(stored)) {
        throw new IllegalArgumentException("output " + dir + " holds a model trained with other settings ("
            + stored + " vs " + wanted + "); pass --overwrite=true or choose another --output");
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + modelJson, e);
    }
  }

  /** Where an unfinished run lives until it is finished: beside the output, so a rerun finds it. */
  static String workDir(String target) {
    String t = Resources.path(Resources.dir(target));
    int slash = t.lastIndexOf('/');
    return t.substring(0, slash + 1) + "." + t.substring(slash + 1) + ".training";
  }

  private static RuntimeException unwrap(Pipeline.PipelineExecutionException e, String work) {
    Throwable cause = e.getCause();
    if (cause instanceof IllegalArgumentException && cause.getMessage() != null
        && cause.getMessage().contains("holds a run with a different")) {
      return new IllegalArgumentException(cause.getMessage() + " (an interrupted train run with other options or"
          + " data is in " + work + "; remove that folder to start afresh)", cause);
    }
    if (cause instanceof RuntimeException r) {
      return r;
    }
    if (cause instanceof IOException io) {
      return new UncheckedIOException(io.getMessage(), io);
    }
    return e;
  }

  /** Renames every file of the work folder into the output folder (keeping relative paths), then removes it. */
  private static void moveContents(String work, ResourceId to) {
    ResourceId from = Resources.dir(work);
    String prefix = Resources.path(from) + "/";
    List<ResourceId> sources = new ArrayList<>();
    List<ResourceId> targets = new ArrayList<>();
    for (MatchResult.Metadata m : Resources.tree(from)) {
      sources.add(m.resourceId());
      targets.add(Resources.file(to, m.resourceId().toString().substring(prefix.length())));
    }
    try {
      FileSystems.rename(sources, targets);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move the trained model from " + work + " to " + to, e);
    }
    Resources.deleteTree(from);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> readJson(ResourceId file) {
    try {
      return new ObjectMapper().readValue(Resources.readString(file), Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The options as given, then the config they resolve to (the preset's and the shards' values). */
  private static Map<String, Object> manifestOptions(TrainOptions o, TrainConfig c) {
    Map<String, Object> m = OptionsManifest.of(o, TrainOptions.class);
    m.putAll(c.toMap());
    return m;
  }

}
