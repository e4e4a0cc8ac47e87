package org.chexaudit.pipelines;

import org.chexaudit.pipelines.stage.PipelineRuns;
import org.chexaudit.pipelines.cli.Cli;
import org.chexaudit.pipelines.stage.StageOutput;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.chexaudit.models.Head;
import org.chexaudit.models.HeadSpec;
import org.chexaudit.models.ModelDir;
import org.chexaudit.models.ModelSpec;
import org.chexaudit.pipelines.options.PredictOptions;
import org.chexaudit.schemas.Embedding;
import org.chexaudit.schemas.ImageExample;
import org.chexaudit.schemas.Prediction;
import org.chexaudit.schemas.TrustedSchemas;
import org.chexaudit.transforms.io.Resources;
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
 *
 * <p>Every path is a Beam path: the model is copied to a local folder once per worker JVM where it is not
 * local (TensorFlow loads folders), and the CSVs are written by the pipeline as sorted shards, then merged
 * by streaming them through Beam's file systems ({@link SortedCsvShards}); no row passes through the client.
 */
public final class PredictPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(PredictPipeline.class);
  static final String COMMAND = "predict";
  /** Where the CSVs' sorted shards are written until they are merged; gone before the commit. */
  static final String CSV_SHARDS = "_csv_shards";

  private PredictPipeline() {}

  public static void main(String[] args) {
    Cli.run(COMMAND, args, PredictOptions.class, PredictPipeline::run);
  }

  /** Scores with one model, or with each seed model in turn; returns the last run's result. */
  public static PipelineResult run(PredictOptions options) {
    TrustedSchemas.install();
    String model = Resources.absolute(options.getModel());
    String output = Resources.absolute(options.getOutput());
    List<String> seedModels = seedModels(model);
    if (seedModels.isEmpty()) {
      return predictOne(options, model, output);
    }
    for (String m : seedModels) {
      modelSpec(m); // every seed finished before any is scored
    }
    PipelineResult last = null;
    for (String m : seedModels) {
      last = predictOne(options, m, output + "/" + m.substring(m.lastIndexOf('/') + 1));
    }
    return last;
  }

  /**
   * The seed model dirs in {@code parent} ({@code seed<N>/}, by N), or empty when {@code parent} is a
   * model dir itself (or holds no seed folders).
   */
  static List<String> seedModels(String parent) {
    ResourceId dir = Resources.dir(parent);
    if (Resources.exists(Resources.file(dir, "model.json"))) {
      return List.of();
    }
    List<String> seeds = new ArrayList<>();
    for (MatchResult.Metadata m : Resources.list(dir, "*/model.json")) {
      String path = m.resourceId().toString();
      String folder = path.substring(0, path.lastIndexOf('/'));
      if (folder.substring(folder.lastIndexOf('/') + 1).matches("seed-?\\d+")) {
        seeds.add(folder);
      }
    }
    seeds.sort(Comparator.comparingLong(f -> Long.parseLong(f.substring(f.lastIndexOf('/') + 5))));
    return seeds;
  }

  private static PipelineResult predictOne(PredictOptions options, String model, String output) {
    ModelSpec spec = modelSpec(model);
    List<String> splits = Cli.commaList(options.getSplits() == null ? "validate,test" : options.getSplits());
    if (splits.isEmpty()) {
      throw new IllegalArgumentException("--splits is empty; name at least one split, for example: validate,test");
    }
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
    }
    boolean embeddings = options.getEmbeddings() || options.getEmbeddingsCsv();

    StageOutput out = StageOutput.begin(COMMAND, output, options.getOverwrite())
        .withInput("model", model + "/best")
        .withInput("images", ImageShards.root(options.getShards()));
    try {
      long start = System.nanoTime();
      String modelJson = Resources.readString(Resources.file(Resources.dir(model), "model.json"));
      Pipeline p = Pipeline.create(options);
      List<PCollection<ImageExample>> reads = new ArrayList<>();
      for (String split : splits) {
        reads.add(p.apply("Read_" + split,
            AvroIO.read(ImageExample.class).from(Resources.matchSpec(ImageShards.pattern(options.getShards(), split)))));
      }
      PCollection<ImageExample> images = PCollectionList.of(reads).apply("AllSplits", Flatten.pCollections());
      PCollectionTuple scored = images.apply("RunInference", RunInference.of(model)
          .withBatchSize(batchSize(options)).withThreads(options.getThreads()).withEmbeddings(embeddings));
      PCollection<Prediction> predictions = scored.get(RunInference.PREDICTIONS);
      predictions.apply("WritePredictionsAvro",
          AvroIO.write(Prediction.class).to(out.prefix("predictions/part")).withSuffix(".avro"));
      List<PCollection<KV<String, KV<String, String>>>> csvRows = new ArrayList<>();
      csvRows.add(predictions.apply("PredictionRows", ParDo.of(new PredictionRowFn(modelJson))).setCoder(ROW_CODER));
      if (embeddings) {
        PCollection<Embedding> emb = scored.get(RunInference.EMBEDDINGS);
        if (options.getEmbeddings()) {
          emb.apply("WriteEmbeddingsAvro",
              AvroIO.write(Embedding.class).to(out.prefix("embeddings/part")).withSuffix(".avro"));
        }
        if (options.getEmbeddingsCsv()) {
          csvRows.add(emb.apply("EmbeddingRows", ParDo.of(new EmbeddingRowFn(modelJson))).setCoder(ROW_CODER));
        }
      }
      String shardDir = out.prefix(CSV_SHARDS);
      PCollectionList.of(csvRows).apply("AllCsvRows", Flatten.pCollections())
          .apply("WriteSortedCsvShards", SortedCsvShards.to(shardDir));
      PipelineResult result = PipelineRuns.runToEnd(p);
      Map<String, Object> counts = new LinkedHashMap<>(SortedCsvShards.merge(shardDir, out.dir(), headers(spec, splits)));
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

  private static final KvCoder<String, KV<String, String>> ROW_CODER =
      KvCoder.of(StringUtf8Coder.of(), KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));

  /** The header line of every CSV the splits can give: each head's predictions and the embeddings. */
  static Map<String, String> headers(ModelSpec spec, List<String> splits) {
    Map<String, String> h = new LinkedHashMap<>();
    for (String split : splits) {
      for (Head head : spec.task().heads()) {
        h.put(PredictionCsv.predictionsFile(split, spec.task(), head),
            PredictionCsv.line(PredictionCsv.predictionHeader(spec, head)));
      }
      h.put(PredictionCsv.embeddingsFile(split), PredictionCsv.line(PredictionCsv.embeddingHeader(spec)));
    }
    return h;
  }

  /** The spec of a finished model dir (any Beam path); fails naming the option and what is missing. */
  static ModelSpec modelSpec(String model) {
    ResourceId dir = Resources.dir(model);
    if (!Resources.hasFiles(dir)) {
      throw new IllegalArgumentException("--model " + model + ": model dir does not exist (" + model + ")");
    }
    for (String f : List.of("model.json", "best/weights.npz")) {
      if (!Resources.exists(Resources.file(dir, f))) {
        throw new IllegalArgumentException("--model " + model + ": not a trained model dir (missing " + f + ")");
      }
    }
    if (!Resources.exists(Resources.file(dir, "saved_model/saved_model.pb"))) {
      throw new IllegalArgumentException("--model " + model + " has no saved_model/; its training has not finished"
          + " (rerun train to resume)");
    }
    try {
      return ModelDir.specOf(Resources.readString(Resources.file(dir, "model.json")));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("--model " + model + ": cannot read model.json: " + e.getMessage(), e);
    }
  }

  /** A DoFn that needs the model's spec, carried as {@code model.json}'s text ({@link ModelSpec} is not serializable). */
  private abstract static class SpecFn<T> extends DoFn<T, KV<String, KV<String, String>>> {
    private final String modelJson;
    transient ModelSpec spec;

    SpecFn(String modelJson) {
      this.modelJson = modelJson;
    }

    @Setup
    public void setup() throws IOException {
      spec = ModelDir.specOf(modelJson);
    }
  }

  /** Each prediction as a row of its split's and head's CSV: {@code KV<file, KV<id, row>>}. */
  static final class PredictionRowFn extends SpecFn<Prediction> {
    PredictionRowFn(String modelJson) {
      super(modelJson);
    }

    @ProcessElement
    public void process(@Element Prediction x, OutputReceiver<KV<String, KV<String, String>>> out) {
      Head head = headOf(spec, x.getTask().toString());
      out.output(KV.of(PredictionCsv.predictionsFile(String.valueOf(x.getSplit()), spec.task(), head),
          KV.of(x.getId().toString(), PredictionCsv.predictionRow(spec, head, x))));
    }
  }

  /** Each embedding as a row of its split's CSV. */
  static final class EmbeddingRowFn extends SpecFn<Embedding> {
    EmbeddingRowFn(String modelJson) {
      super(modelJson);
    }

    @ProcessElement
    public void process(@Element Embedding x, OutputReceiver<KV<String, KV<String, String>>> out) {
      out.output(KV.of(PredictionCsv.embeddingsFile(String.valueOf(x.getSplit())),
          KV.of(x.getId().toString(), PredictionCsv.embeddingRow(spec, x))));
    }
  }

  private static Head headOf(ModelSpec spec, String key) {
    for (HeadSpec h : spec.heads()) {
      if (h.head().key().equals(key)) {
        return h.head();
      }
    }
    throw new IllegalArgumentException("prediction of head '" + key + "', which the " + spec.task().key()
        + " model does not have");
  }

  static int batchSize(PredictOptions o) {
    return o.getBatchSize() == null ? 64 : o.getBatchSize();
  }
}
