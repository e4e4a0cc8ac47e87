package org.chexaudit.pipelines;

import org.chexaudit.pipelines.cli.Cli;
import org.chexaudit.pipelines.stage.StageOutput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.chexaudit.models.Architecture;
import org.chexaudit.models.Head;
import org.chexaudit.models.InputRecipe;
import org.chexaudit.models.ModelDir;
import org.chexaudit.models.ModelSpec;
import org.chexaudit.models.Task;
import org.chexaudit.pipelines.options.PredictOptions;
import org.chexaudit.schemas.Embedding;
import org.chexaudit.schemas.ImageExample;
import org.chexaudit.schemas.Prediction;
import org.chexaudit.schemas.TrustedSchemas;
import org.chexaudit.transforms.ml.RunInference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.chexaudit.pipelines.stage.OptionsManifest;

/**
 * The {@code predict} command (seeds-spec A5 "Inference and output files"): scores the chosen splits'
 * image shards with a trained model dir and writes {@code predictions/*.avro} ({@link Prediction}, one
 * per image and head), {@code embeddings/*.avro} ({@link Embedding}), and the original's CSVs with an
 * {@code id} column, rows sorted by id: {@code predictions.{val,test}.csv} (multitask:
 * {@code predictions.{val,test}.{disease,sex,race}.csv}) and, on request, {@code embeddings.{val,test}.csv}.
 * A {@code --model} folder of seed models ({@code train --seeds}: {@code seed<N>/}) is scored model by
 * model into {@code <output>/seed<N>/}, the folders {@code chexclusion-eval --runs} takes.
 */
public final class PredictPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(PredictPipeline.class);
  static final String COMMAND = "predict";

  private PredictPipeline() {}

  public static void main(String[] args) {
    Cli.run(COMMAND, args, PredictOptions.class, PredictPipeline::run);
  }

  /** Scores with one model, or with each seed model in turn; returns the last run's result. */
  public static PipelineResult run(PredictOptions options) {
    TrustedSchemas.install();
    Path model = Paths.get(options.getModel());
    Path output = Paths.get(options.getOutput());
    List<Path> seedModels = SeedRuns.modelDirs(model);
    if (seedModels.isEmpty()) {
      return predictOne(options, model.toString(), output);
    }
    for (Path m : seedModels) {
      modelSpec(m.toString()); // every seed finished before any is scored
    }
    PipelineResult last = null;
    for (Path m : seedModels) {
      last = predictOne(options, m.toString(), output.resolve(m.getFileName()));
    }
    return last;
  }

  private static PipelineResult predictOne(PredictOptions options, String model, Path output) {
    ModelSpec spec = modelSpec(model);
    List<String> splits = Cli.commaList(options.getSplits() == null ? "validate,test" : options.getSplits());
    if (splits.isEmpty()) {
      throw new IllegalArgumentException("--splits is empty; name at least one split, for example: validate,test");
    }
    Map<String, List<String>> shards = new LinkedHashMap<>();
    for (String split : splits) {
      List<String> files = ImageShards.of(options.getShards(), split);
      boolean crop = spec.input().centreCrop();
      int size = crop ? ImageShards.shorterSide(files) : ImageShards.imageSize(files);
      if (crop ? size < spec.imageSize() : size != spec.imageSize()) {
        throw new IllegalArgumentException("--shards " + options.getShards() + ": the '" + split + "' shards hold "
            + (crop ? "images with a shorter side of " + size : size + "x" + size + " images") + " but the model in "
            + model + " takes " + (crop ? "a centre crop of " : "") + spec.imageSize() + "x" + spec.imageSize()
            + (crop ? "" : " images"));
      }
      shards.put(split, files);
    }
    boolean embeddings = options.getEmbeddings() || options.getEmbeddingsCsv();

    StageOutput out = StageOutput.begin(COMMAND, output, options.getOverwrite())
        .withInput("model", Paths.get(model).resolve("best"))
        .withInput("images", ImageShards.root(options.getShards()));
    try {
      long start = System.nanoTime();
      Path tmp = out.tmp();
      Pipeline p = Pipeline.create(options);
      List<PCollection<ImageExample>> reads = new ArrayList<>();
      for (Map.Entry<String, List<String>> e : shards.entrySet()) {
        String pattern = Paths.get(e.getValue().get(0)).getParent().resolve("*.avro").toString();
        reads.add(p.apply("Read_" + e.getKey(), AvroIO.read(ImageExample.class).from(pattern)));
      }
      PCollection<ImageExample> images = PCollectionList.of(reads).apply("AllSplits", Flatten.pCollections());
      PCollectionTuple scored = images.apply("RunInference", RunInference.of(model)
          .withBatchSize(batchSize(options)).withThreads(options.getThreads()).withEmbeddings(embeddings));
      PCollection<Prediction> predictions = scored.get(RunInference.PREDICTIONS);
      predictions.apply("WritePredictionsAvro",
          AvroIO.write(Prediction.class).to(tmp.resolve("predictions/part").toString()).withSuffix(".avro"));
      predictions
          .apply("BySplit", WithKeys.of((Prediction x) -> String.valueOf(x.getSplit()))
              .withKeyType(TypeDescriptors.strings()))
          .apply("GatherPredictions", GroupByKey.create())
          .apply("WritePredictionsCsv", ParDo.of(new WritePredictionsFn(tmp.toString(), spec)));
      if (embeddings) {
        PCollection<Embedding> emb = scored.get(RunInference.EMBEDDINGS);
        if (options.getEmbeddings()) {
          emb.apply("WriteEmbeddingsAvro",
              AvroIO.write(Embedding.class).to(tmp.resolve("embeddings/part").toString()).withSuffix(".avro"));
        }
        if (options.getEmbeddingsCsv()) {
          emb.apply("EmbeddingsBySplit", WithKeys.of((Embedding x) -> String.valueOf(x.getSplit()))
                  .withKeyType(TypeDescriptors.strings()))
              .apply("GatherEmbeddings", GroupByKey.create())
              .apply("WriteEmbeddingsCsv", ParDo.of(new WriteEmbeddingsFn(tmp.toString(), spec)));
        }
      }
      PipelineResult result;
      try {
        result = p.run();
        result.waitUntilFinish();
      } catch (Pipeline.PipelineExecutionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
      Map<String, Object> counts = csvRowCounts(tmp);
      Map<String, Object> opts = OptionsManifest.of(options, PredictOptions.class);
      opts.put("model", model);
      opts.put("splits", splits);
      opts.put("batchSize", batchSize(options));
      String done = out.commit(opts, counts);
      LOG.info(String.format("predict: %s model, rows %s, in %.1f s -> %s", spec.task().key(), counts,
          (System.nanoTime() - start) / 1e9, done));
      return result;
    } catch (RuntimeException e) {
      out.abort();
      throw e;
    }
  }

  /** The spec of a finished model dir; fails naming the option and what is missing. */
  static ModelSpec modelSpec(String model) {
    try {
      ModelDir dir = ModelDir.existing(Paths.get(model));
      if (!Files.isRegularFile(dir.savedModel().resolve("saved_model.pb"))) {
        throw new IllegalArgumentException("--model " + model + " has no saved_model/; its training has not finished"
            + " (rerun train to resume)");
      }
      return dir.spec();
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--model " + model + ": " + e.getReason() + " (" + e.getFile() + ")");
    } catch (IOException e) {
      throw new UncheckedIOException("--model " + model + ": cannot read model.json", e);
    }
  }

  private static Map<String, Object> csvRowCounts(Path dir) {
    Map<String, Object> counts = new LinkedHashMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.filter(x -> x.getFileName().toString().endsWith(".csv")).sorted().toList()) {
        try (Stream<String> lines = Files.lines(f)) {
          counts.put(f.getFileName().toString(), lines.count() - 1);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot count rows in " + dir, e);
    }
    return counts;
  }

  /** What a CSV-writing DoFn needs of the model's spec; {@link ModelSpec} is not serializable. */
  private abstract static class SpecFn<T> extends DoFn<KV<String, Iterable<T>>, Void> {
    final String dir;
    final Architecture architecture;
    final int imageSize;
    final Task task;
    final int diseaseClasses;
    final InputRecipe input;

    SpecFn(String dir, ModelSpec spec) {
      this.dir = dir;
      this.architecture = spec.architecture();
      this.imageSize = spec.imageSize();
      this.task = spec.task();
      this.diseaseClasses = spec.diseaseClasses();
      this.input = spec.input();
    }

    ModelSpec spec() {
      return new ModelSpec(architecture, imageSize, task, diseaseClasses, input);
    }
  }

  /** Writes the prediction CSV(s) of one split. */
  static final class WritePredictionsFn extends SpecFn<Prediction> {
    WritePredictionsFn(String dir, ModelSpec spec) {
      super(dir, spec);
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Prediction>> split) throws IOException {
      for (Head head : task.heads()) {
        List<Prediction> rows = new ArrayList<>();
        for (Prediction p : split.getValue()) {
          if (p.getTask().toString().equals(head.key())) {
            rows.add(p);
          }
        }
        PredictionCsv.writePredictions(Paths.get(dir, PredictionCsv.predictionsFile(split.getKey(), task, head)),
            spec(), head, rows);
      }
    }
  }

  /** Writes the embeddings CSV of one split. */
  static final class WriteEmbeddingsFn extends SpecFn<Embedding> {
    WriteEmbeddingsFn(String dir, ModelSpec spec) {
      super(dir, spec);
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Embedding>> split) throws IOException {
      List<Embedding> rows = new ArrayList<>();
      split.getValue().forEach(rows::add);
      PredictionCsv.writeEmbeddings(Paths.get(dir, PredictionCsv.embeddingsFile(split.getKey())), spec(), rows);
    }
  }

  static int batchSize(PredictOptions o) {
    return o.getBatchSize() == null ? 64 : o.getBatchSize();
  }
}
