package org.chexaudit.pipelines;

import org.chexaudit.pipelines.stage.PipelineRuns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.chexaudit.transforms.coders.JavaSerializationCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.chexaudit.core.cohort.CohortSpec;
import org.chexaudit.core.explore.ExploreKsTests;
import org.chexaudit.core.explore.ExploreNames;
import org.chexaudit.core.explore.ExploreRow;
import org.chexaudit.core.explore.KsTable;
import org.chexaudit.core.explore.PcaModel;
import org.chexaudit.core.explore.Subject;
import org.chexaudit.core.explore.Tsne;
import org.chexaudit.core.explore.TsnePoints;
import org.chexaudit.pipelines.cli.Cli;
import org.chexaudit.pipelines.options.ExploreOptions;
import org.chexaudit.pipelines.stage.StageOutput;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.Embedding;
import org.chexaudit.schemas.Prediction;
import org.chexaudit.schemas.TrustedSchemas;
import org.chexaudit.transforms.coders.DoubleArrayCoder;
import org.chexaudit.transforms.coders.ExploreRowCoder;
import org.chexaudit.transforms.coders.SubjectCoder;
import org.chexaudit.transforms.explore.JoinExploreRows;
import org.chexaudit.transforms.explore.Pca;
import org.chexaudit.transforms.explore.SamplePerGroup;
import org.chexaudit.core.explore.KsComparison;
import org.chexaudit.core.explore.KsTable;
import org.chexaudit.core.explore.PcaModel;
import org.chexaudit.core.explore.SeededSampling;
import org.chexaudit.core.explore.Tsne;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.chexaudit.pipelines.options.SeedOption;
import org.chexaudit.pipelines.options.ThreadsOption;
import org.chexaudit.pipelines.stage.OptionsManifest;
import org.chexaudit.transforms.explore.SelectLogits;
import org.chexaudit.transforms.io.CollectToFile;
import org.chexaudit.transforms.io.Resources;

/**
 * The {@code explore} command (seeds-spec A8) on a disease model's predict output. The Beam graph fits
 * PCA on all embeddings of the split ({@link Pca}: distributed covariance combine), joins each
 * embedding's scores with its logits ({@link SelectLogits}, by label name) and its subject's cohort
 * attributes by id ({@link JoinExploreRows}), and draws the seeded per-race sample ({@link SamplePerGroup})
 * and the t-SNE subsample, which {@link CollectToFile} writes into the output's {@code .work/} folder
 * through Beam's file systems for the driver to read back (and delete). Both are bounded whatever the
 * number of embeddings: {@code --samplePerGroup} rows per race and at most {@code --tsneMaxPoints} rows,
 * so gathering each on one worker, and fitting t-SNE on the driver, does not grow with the data; PCA is
 * a combine. The driver then fits t-SNE and writes ({@link ExploreReport}), any Beam path:
 * <ul>
 *   <li>{@code explained_variance.csv} / {@code .png}: ratio and cumulative ratio per mode;
 *   <li>{@code sample.csv}: the sampled rows (attributes, logits, PCA modes 1-4, t-SNE);
 *   <li>{@code ks_tests.csv} / {@code .avro}: KS tests of PCA modes 1-4 and the two logits for the
 *       five comparisons, Benjamini-Yekutieli adjusted over all of them ({@link ExploreKsTests});
 *   <li>{@code tsne.csv}: t-SNE of the PCA scores of the sampled rows plus a seeded subsample of the
 *       rest, up to {@code --tsneMaxPoints} (all rows when there are fewer, {@link TsnePoints});
 *   <li>{@code {logit|pca-mode-1+2|pca-mode-3+4|tsne}-{disease|sex|age|race}.png}: joint plots of the
 *       sample with marginal densities; within a method all four share the axis limits.
 * </ul>
 * The two logits are those of the cohort configuration's normal and positive disease labels (CheXpert:
 * No Finding and Pleural Effusion), found by name in its label list.
 */
public final class ExplorePipeline {
  private static final Logger LOG = LoggerFactory.getLogger(ExplorePipeline.class);
  static final String COMMAND = "explore";
  private static final String WORK = ".work";
  private static final String MODEL_FILE = "pca_model.bin";
  private static final String SAMPLE_FILE = "sample.rows";
  private static final String TSNE_POOL_FILE = "tsne.rows";

  private ExplorePipeline() {}

  public static void main(String[] args) {
    Cli.run(COMMAND, args, ExploreOptions.class, ExplorePipeline::run);
  }

  public static PipelineResult run(ExploreOptions options) {
    TrustedSchemas.install();
    validate(options);
    ExploreNames names = ExploreNames.of(options.getCohortConfig() == null
        ? CohortSpec.chexpert() : CohortFiles.loadSpec(options.getCohortConfig()));
    String split = options.getSplit();
    String predictDir = Resources.absolute(options.getPredictions());
    ResourceId embeddingsDir = Resources.dir(Resources.dir(predictDir), "embeddings");
    ResourceId predictionsDir = Resources.dir(Resources.dir(predictDir), "predictions");
    ResourceId cohortDir = Resources.dir(Resources.dir(options.getCohort()), "cohort");
    requireAvro(embeddingsDir, "--predictions " + predictDir + " (embeddings/; run predict with --embeddings=true)");
    requireAvro(predictionsDir, "--predictions " + predictDir + " (predictions/)");
    requireAvro(cohortDir, "--cohort " + options.getCohort());

    StageOutput out = StageOutput.begin(COMMAND, Resources.absolute(options.getOutput()), options.getOverwrite())
        .withInput("embeddings", Resources.path(embeddingsDir)).withInput("predictions", Resources.path(predictionsDir))
        .withInput("cohort", Resources.path(cohortDir));
    try {
      long start = System.nanoTime();
      ResourceId work = Resources.dir(out.dir(), WORK);
      Pipeline p = Pipeline.create(options);
      buildGraph(p, options, names, embeddingsDir, predictionsDir, cohortDir, work);
      PipelineResult result = PipelineRuns.runToEnd(p);
      double graphSeconds = (System.nanoTime() - start) / 1e9;

      List<PcaModel> models = CollectToFile.read(workFile(work, MODEL_FILE), JavaSerializationCoder.of(PcaModel.class));
      if (models.isEmpty()) {
        throw new IllegalArgumentException("--predictions " + options.getPredictions() + " has no embeddings of split '"
            + split + "' (--split)");
      }
      PcaModel model = models.get(0);
      List<ExploreRow> sample = new ArrayList<>(CollectToFile.read(workFile(work, SAMPLE_FILE), ExploreRowCoder.of()));
      sample.sort(ExploreRow.ORDER);
      List<String> notes = new ArrayList<>();
      Map<String, Long> sampled = new TreeMap<>();
      sample.forEach(r -> sampled.merge(r.race(), 1L, Long::sum));
      sampled.forEach((race, n) -> {
        if (n < options.getSamplePerGroup()) {
          notes.add("race " + race + " has only " + n + " rows, fewer than --samplePerGroup="
              + options.getSamplePerGroup() + "; all were taken");
        }
      });
      if (model.numComponents() < 4) {
        notes.add("PCA kept only " + model.numComponents() + " modes; KS tests and plots use those");
      }
      ExploreReport report = new ExploreReport(out.dir(), names);
      report.writeExplainedVariance(model);
      List<KsTable.Row> ks = ExploreKsTests.compute(sample, model.numComponents(), names, options.getAlpha());
      report.writeKs(ks, options.getAlpha());

      Map<String, double[]> tsneOfSample = null;
      long tsneSeconds = 0;
      int tsnePoints = 0;
      if (options.getTsne()) {
        long t0 = System.nanoTime();
        List<ExploreRow> pool = new ArrayList<>(CollectToFile.read(workFile(work, TSNE_POOL_FILE),
            ExploreRowCoder.of()));
        pool.sort(ExploreRow.ORDER);
        List<ExploreRow> points = TsnePoints.choose(sample, pool, options.getTsneMaxPoints(), seed(options));
        double[][] x = points.stream().map(ExploreRow::scores).toArray(double[][]::new);
        double[][] y = Tsne.create().withSeed(seed(options)).withThreads(ThreadsOption.threadsOrCores(options))
            .fit(x).embedding();
        report.writeTsne(points, y, sample);
        tsneOfSample = new HashMap<>();
        for (int i = 0; i < points.size(); i++) {
          tsneOfSample.putIfAbsent(points.get(i).id(), y[i]);
        }
        tsnePoints = points.size();
        tsneSeconds = Math.round((System.nanoTime() - t0) / 1e9);
      }
      report.writeSample(sample, tsneOfSample);
      int plots = report.writePlots(sample, model.numComponents(), tsneOfSample);
      Resources.deleteTree(work);

      Map<String, Object> opts = OptionsManifest.of(options, ExploreOptions.class);
      opts.put("seed", seed(options));
      Map<String, Object> counts = new LinkedHashMap<>();
      counts.put("embeddings", model.sampleCount());
      counts.put("dimension", model.dimension());
      counts.put("pca_modes", model.numComponents());
      counts.put("sampled_by_race", sampled);
      counts.put("ks_tests", ks.size());
      counts.put("ks_rejected", ks.stream().filter(KsTable.Row::rejected).count());
      counts.put("tsne_points", tsnePoints);
      counts.put("plots", plots);
      counts.put("graph_seconds", Math.round(graphSeconds * 10) / 10.0);
      counts.put("tsne_seconds", tsneSeconds);
      counts.put("notes", notes);
      notes.forEach(n -> LOG.warn("explore: note: " + n));
      String done = out.commit(opts, counts);
      LOG.info(String.format("explore: %d embeddings, %d PCA modes, %d KS tests (%d rejected), t-SNE of %d points, in %.1f s -> %s",
          model.sampleCount(), model.numComponents(), ks.size(), counts.get("ks_rejected"), tsnePoints,
          (System.nanoTime() - start) / 1e9, done));
      return result;
    } catch (IOException e) {
      out.abort();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      out.abort();
      throw e;
    }
  }

  /** Fails naming {@code option} when {@code dir} holds no {@code *.avro} file. */
  private static void requireAvro(ResourceId dir, String option) {
    if (Resources.list(dir, "*.avro").isEmpty()) {
      throw new IllegalArgumentException(option + ": no *.avro files in " + Resources.path(dir));
    }
  }

  private static String workFile(ResourceId work, String name) {
    return Resources.path(Resources.file(work, name));
  }

  /** {@code --seed} or 42: sampling uses it, the t-SNE subsample {@code seed + 1}, t-SNE itself {@code seed}. */
  static long seed(ExploreOptions o) {
    return SeedOption.seedOr(o, 42);
  }

  private static void validate(ExploreOptions o) {
    if (!(o.getVarianceFraction() > 0 && o.getVarianceFraction() < 1)) {
      throw new IllegalArgumentException("--varianceFraction must be in (0, 1), got " + o.getVarianceFraction());
    }
    if (o.getSamplePerGroup() < 1) {
      throw new IllegalArgumentException("--samplePerGroup must be >= 1, got " + o.getSamplePerGroup());
    }
    if (o.getTsneMaxPoints() < 2) {
      throw new IllegalArgumentException("--tsneMaxPoints must be >= 2, got " + o.getTsneMaxPoints());
    }
    if (o.getThreads() < 0) {
      throw new IllegalArgumentException("--threads must be >= 0 (0: all cores), got " + o.getThreads());
    }
    if (!(o.getAlpha() > 0 && o.getAlpha() < 1)) {
      throw new IllegalArgumentException("--alpha must be in (0, 1), got " + o.getAlpha());
    }
  }

  /** The graph: PCA of the split's embeddings, joined rows, the per-race sample and the t-SNE pool. */
  private static void buildGraph(Pipeline p, ExploreOptions options, ExploreNames names, ResourceId embeddingsDir,
      ResourceId predictionsDir, ResourceId cohortDir, ResourceId work) {
    String split = options.getSplit();
    PCollection<KV<String, double[]>> embeddings = p
        .apply("ReadEmbeddings", AvroIO.read(Embedding.class).from(Resources.matchSpec(Resources.path(embeddingsDir) + "/*.avro")))
        .apply("EmbeddingsOfSplit", Filter.by((Embedding e) -> split.equals(e.getSplit())))
        .apply("EmbeddingValues", MapElements.into(new TypeDescriptor<KV<String, double[]>>() {})
            .via((Embedding e) -> KV.of(e.getId(), toDoubles(e.getValues()))))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), DoubleArrayCoder.of()));
    PCollectionTuple pca = embeddings.apply("Pca",
        Pca.create().withVarianceFraction(options.getVarianceFraction()));
    pca.get(Pca.MODEL).apply("SaveModel", CollectToFile.to(workFile(work, MODEL_FILE)));

    PCollection<KV<String, double[]>> logits = p
        .apply("ReadPredictions", AvroIO.read(Prediction.class).from(Resources.matchSpec(Resources.path(predictionsDir) + "/*.avro")))
        .apply("DiseaseLogits", SelectLogits.of(names.labels(), List.of(names.normalLabel(), names.positiveLabel()))
            .withSplit(split).withTask("disease"));
    PCollection<KV<String, Subject>> subjects = p
        .apply("ReadCohort", AvroIO.read(CohortRecord.class).from(Resources.matchSpec(Resources.path(cohortDir) + "/*.avro")))
        .apply("Subjects", MapElements.into(new TypeDescriptor<KV<String, Subject>>() {})
            .via((CohortRecord r) -> KV.of(r.getId(), Subject.of(r))))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SubjectCoder.of()));
    PCollection<ExploreRow> rows = pca.get(Pca.SCORES).apply("JoinById", JoinExploreRows.with(logits, subjects));

    rows.apply("ByRace", WithKeys.of(ExploreRow::race).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ExploreRowCoder.of()))
        .apply("SamplePerRace", SamplePerGroup.<String, ExploreRow>create().withSize(options.getSamplePerGroup())
            .withSeed(seed(options)).allowingSmallerGroups())
        .apply("SampleValues", Values.create())
        .apply("SaveSample", CollectToFile.to(workFile(work, SAMPLE_FILE)));
    if (options.getTsne()) {
      rows.apply("AllRows", WithKeys.of((ExploreRow r) -> "all").withKeyType(TypeDescriptors.strings()))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), ExploreRowCoder.of()))
          .apply("TsneSubsample", SamplePerGroup.<String, ExploreRow>create().withSize(options.getTsneMaxPoints())
              .withSeed(seed(options) + 1).allowingSmallerGroups())
          .apply("TsneValues", Values.create())
          .apply("SaveTsneRows", CollectToFile.to(workFile(work, TSNE_POOL_FILE)));
    }
  }

  private static double[] toDoubles(List<Float> values) {
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

}
