package org.chexaudit.pipelines;

import org.chexaudit.pipelines.cli.Cli;
import org.chexaudit.pipelines.ExploreReport;
import org.chexaudit.pipelines.stage.AvroFiles;
import org.chexaudit.pipelines.stage.StageOutput;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VoidCoder;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.chexaudit.pipelines.options.ExploreOptions;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.Embedding;
import org.chexaudit.schemas.KsTest;
import org.chexaudit.schemas.Prediction;
import org.chexaudit.schemas.TrustedSchemas;
import org.chexaudit.transforms.coders.DoubleArrayCoder;
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

/**
 * The {@code explore} command (seeds-spec A8) on a disease model's predict output. The Beam graph fits
 * PCA on all embeddings of the split ({@link Pca}: distributed covariance combine), joins each
 * embedding's scores with its logits and its subject's cohort attributes by id, and draws the seeded
 * per-race sample ({@link SamplePerGroup}) and the t-SNE subsample. The driver then writes:
 * <ul>
 *   <li>{@code explained_variance.csv} / {@code .png}: ratio and cumulative ratio per mode;
 *   <li>{@code sample.csv}: the sampled rows (attributes, logits, PCA modes 1-4, t-SNE);
 *   <li>{@code ks_tests.csv} / {@code .avro}: KS tests of PCA modes 1-4 and the two logits for the
 *       five comparisons, Benjamini-Yekutieli adjusted over all of them ({@link KsTable});
 *   <li>{@code tsne.csv}: t-SNE of the PCA scores of the sampled rows plus a seeded subsample of the
 *       rest, up to {@code --tsneMaxPoints} (all rows when there are fewer);
 *   <li>{@code {logit|pca-mode-1+2|pca-mode-3+4|tsne}-{disease|sex|age|race}.png}: joint plots of the
 *       sample with marginal densities; within a method all four share the axis limits.
 * </ul>
 */
public final class ExplorePipeline {
  private static final Logger LOG = LoggerFactory.getLogger(ExplorePipeline.class);
  static final String COMMAND = "explore";
  static final String LOGIT_NO_FINDING = "Logit - No Finding";
  static final String LOGIT_EFFUSION = "Logit - Pleural Effusion";
  /** Logit indices of No Finding and Pleural Effusion in the disease model's 14 outputs. */
  static final int NO_FINDING_INDEX = 0;
  static final int EFFUSION_INDEX = 10;
  static final List<String> DISEASE_ORDER = List.of("Pleural Effusion", "Other", "No Finding");
  static final List<String> SEX_ORDER = List.of("Male", "Female");
  static final List<String> RACE_ORDER = List.of("White", "Asian", "Black");
  static final String KS_HEADER = "feature,comparison,n1,n2,D,p,p_adjusted,rejected";
  private static final String WORK = ".work";


  private ExplorePipeline() {}

  public static void main(String[] args) {
    Cli.run(COMMAND, args, ExploreOptions.class, ExplorePipeline::run);
  }

  public static PipelineResult run(ExploreOptions options) {
    TrustedSchemas.install();
    validate(options);
    String split = options.getSplit();
    Path predictDir = Paths.get(options.getPredictions());
    Path embeddingsDir = predictDir.resolve("embeddings");
    Path predictionsDir = predictDir.resolve("predictions");
    Path cohortDir = Paths.get(options.getCohort()).resolve("cohort");
    AvroFiles.list(embeddingsDir, "--predictions " + predictDir + " (embeddings/; run predict with --embeddings=true)");
    AvroFiles.list(predictionsDir, "--predictions " + predictDir + " (predictions/)");
    AvroFiles.list(cohortDir, "--cohort " + options.getCohort());

    StageOutput out = StageOutput.begin(COMMAND, Paths.get(options.getOutput()), options.getOverwrite())
        .withInput("embeddings", embeddingsDir).withInput("predictions", predictionsDir).withInput("cohort", cohortDir);
    try {
      long start = System.nanoTime();
      Path tmp = out.tmp();
      Path work = tmp.resolve(WORK);
      Files.createDirectories(work);
      PipelineResult result = runGraph(options, embeddingsDir, predictionsDir, cohortDir, work);
      double graphSeconds = (System.nanoTime() - start) / 1e9;

      PcaModel model = readModel(work.resolve("pca_model.ser"));
      List<ExploreRow> sample = readRows(work.resolve("sample.rows"));
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
      ExploreReport.writeExplainedVariance(tmp, model);
      List<KsTable.Row> ks = ksTests(sample, model.numComponents(), options.getAlpha());
      ExploreReport.writeKs(tmp, ks, options.getAlpha());

      Map<String, double[]> tsneOfSample = null;
      long tsneSeconds = 0;
      int tsnePoints = 0;
      if (options.getTsne()) {
        long t0 = System.nanoTime();
        List<ExploreRow> pool = readRows(work.resolve("tsne.rows"));
        pool.sort(ExploreRow.ORDER);
        List<ExploreRow> points = tsnePoints(sample, pool, options.getTsneMaxPoints(), seed(options));
        double[][] x = points.stream().map(ExploreRow::scores).toArray(double[][]::new);
        double[][] y = Tsne.create().withSeed(seed(options)).withThreads(ThreadsOption.threadsOrCores(options))
            .fit(x).embedding();
        ExploreReport.writeTsne(tmp, points, y, sample);
        tsneOfSample = new HashMap<>();
        for (int i = 0; i < points.size(); i++) {
          tsneOfSample.putIfAbsent(points.get(i).id(), y[i]);
        }
        tsnePoints = points.size();
        tsneSeconds = Math.round((System.nanoTime() - t0) / 1e9);
      }
      ExploreReport.writeSample(tmp, sample, tsneOfSample);
      int plots = ExploreReport.writePlots(tmp, sample, model.numComponents(), tsneOfSample);
      StageOutput.deleteRecursively(work);

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
      Path done = out.commit(opts, counts);
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

  private static PipelineResult runGraph(ExploreOptions options, Path embeddingsDir, Path predictionsDir,
      Path cohortDir, Path work) {
    String split = options.getSplit();
    Pipeline p = Pipeline.create(options);
    PCollection<KV<String, double[]>> embeddings = p
        .apply("ReadEmbeddings", AvroIO.read(Embedding.class).from(embeddingsDir.resolve("*.avro").toString()))
        .apply("EmbeddingsOfSplit", Filter.by((Embedding e) -> split.equals(e.getSplit())))
        .apply("EmbeddingValues", MapElements.into(new TypeDescriptor<KV<String, double[]>>() {})
            .via((Embedding e) -> KV.of(e.getId(), toDoubles(e.getValues()))))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), DoubleArrayCoder.of()));
    PCollectionTuple pca = embeddings.apply("Pca",
        Pca.create().withVarianceFraction(options.getVarianceFraction()));
    pca.get(Pca.MODEL).apply("SaveModel", ParDo.of(new SaveModelFn(work.resolve("pca_model.ser").toString())));

    PCollection<KV<String, double[]>> logits = p
        .apply("ReadPredictions", AvroIO.read(Prediction.class).from(predictionsDir.resolve("*.avro").toString()))
        .apply("DiseasePredictionsOfSplit",
            Filter.by((Prediction x) -> split.equals(x.getSplit()) && "disease".equals(x.getTask())))
        .apply("Logits", MapElements.into(new TypeDescriptor<KV<String, double[]>>() {}).via(ExplorePipeline::logits))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), DoubleArrayCoder.of()));
    PCollection<KV<String, List<String>>> subjects = p
        .apply("ReadCohort", AvroIO.read(CohortRecord.class).from(cohortDir.resolve("*.avro").toString()))
        .apply("Subjects", MapElements.into(new TypeDescriptor<KV<String, List<String>>>() {})
            .via((CohortRecord r) -> KV.of(r.getId(), subject(r))))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ListCoder.of(NullableCoder.of(StringUtf8Coder.of()))));

    // Broadcast join: logits and subjects (a few MB even for the full test set) go to every worker as
    // side inputs, so the scores are not grouped by id (the Direct runner makes a bundle per key).
    PCollectionView<Map<String, Iterable<double[]>>> logitsById = logits.apply("LogitsView", View.asMultimap());
    PCollectionView<Map<String, Iterable<List<String>>>> subjectsById =
        subjects.apply("SubjectsView", View.asMultimap());
    PCollection<ExploreRow> rows = pca.get(Pca.SCORES)
        .apply("JoinById", ParDo.of(new JoinFn(logitsById, subjectsById)).withSideInputs(logitsById, subjectsById))
        .setCoder(ExploreRow.coder());

    rows.apply("ByRace", WithKeys.of(ExploreRow::race).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ExploreRow.coder()))
        .apply("SamplePerRace", SamplePerGroup.<String, ExploreRow>create().withSize(options.getSamplePerGroup())
            .withSeed(seed(options)).allowingSmallerGroups())
        .apply("SampleValues", Values.create())
        .apply("SaveSample", new SaveRows(work.resolve("sample.rows").toString()));
    if (options.getTsne()) {
      rows.apply("AllRows", WithKeys.of((ExploreRow r) -> "all").withKeyType(TypeDescriptors.strings()))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), ExploreRow.coder()))
          .apply("TsneSubsample", SamplePerGroup.<String, ExploreRow>create().withSize(options.getTsneMaxPoints())
              .withSeed(seed(options) + 1).allowingSmallerGroups())
          .apply("TsneValues", Values.create())
          .apply("SaveTsneRows", new SaveRows(work.resolve("tsne.rows").toString()));
    }
    try {
      PipelineResult result = p.run();
      result.waitUntilFinish();
      if (!Files.isRegularFile(work.resolve("pca_model.ser"))) {
        throw new IllegalArgumentException("--predictions " + options.getPredictions() + " has no embeddings of split '"
            + split + "' (--split)");
      }
      return result;
    } catch (Pipeline.PipelineExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private static double[] toDoubles(List<Float> values) {
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private static KV<String, double[]> logits(Prediction x) {
    if (x.getLogits().size() <= EFFUSION_INDEX) {
      throw new IllegalArgumentException("prediction " + x.getId() + " has " + x.getLogits().size()
          + " disease logits; explore needs a 14-label disease model (logit_0 No Finding, logit_10 Pleural Effusion)");
    }
    return KV.of(x.getId(), new double[] {x.getLogits().get(NO_FINDING_INDEX), x.getLogits().get(EFFUSION_INDEX)});
  }

  private static List<String> subject(CohortRecord r) {
    List<String> s = new ArrayList<>();
    s.add(r.getRace());
    s.add(r.getSex());
    s.add(r.getAge() == null ? null : r.getAge().toString());
    s.add(r.getDisease());
    return s;
  }

  /**
   * Each embedding (duplicates of an id kept, as the resampled set has them) with its id's logits and
   * subject. Copies of an id share both; the smallest logits are taken so the choice does not depend on
   * delivery order.
   */
  static final class JoinFn extends DoFn<KV<String, double[]>, ExploreRow> {
    private final PCollectionView<Map<String, Iterable<double[]>>> logitsById;
    private final PCollectionView<Map<String, Iterable<List<String>>>> subjectsById;

    JoinFn(PCollectionView<Map<String, Iterable<double[]>>> logitsById,
        PCollectionView<Map<String, Iterable<List<String>>>> subjectsById) {
      this.logitsById = logitsById;
      this.subjectsById = subjectsById;
    }

    @ProcessElement
    public void process(@Element KV<String, double[]> score, ProcessContext c) {
      String id = score.getKey();
      double[] logit = null;
      // copies of an id share one logit pair, the smallest, so the choice does not depend on delivery order
      for (double[] l : c.sideInput(logitsById).getOrDefault(id, List.of())) {
        if (logit == null || java.util.Arrays.compare(l, logit) < 0) {
          logit = l;
        }
      }
      if (logit == null) {
        throw new IllegalArgumentException("embedding " + id + " has no disease prediction of the split in --predictions");
      }
      Iterable<List<String>> subjects = c.sideInput(subjectsById).get(id);
      List<String> subject = subjects == null ? null : subjects.iterator().next();
      if (subject == null) {
        throw new IllegalArgumentException("embedding " + id + " has no record in --cohort");
      }
      if (subject.get(0) == null) {
        throw new IllegalArgumentException("cohort record " + id + " has no race");
      }
      Integer age = subject.get(2) == null ? null : Integer.valueOf(subject.get(2));
      c.output(new ExploreRow(id, subject.get(0), subject.get(1), age, subject.get(3), logit[0], logit[1],
          score.getValue()));
    }
  }

  /** Writes the single PCA model to a file of the driver's output folder. */
  static final class SaveModelFn extends DoFn<PcaModel, Void> {
    private final String file;

    SaveModelFn(String file) {
      this.file = file;
    }

    @ProcessElement
    public void process(@Element PcaModel model) throws IOException {
      try (ObjectOutputStream o = new ObjectOutputStream(Files.newOutputStream(Paths.get(file)))) {
        o.writeObject(model);
      }
    }
  }

  /** Gathers rows on one worker and writes them with their coder (count, then rows). */
  static final class SaveRows extends org.apache.beam.sdk.transforms.PTransform<PCollection<ExploreRow>,
      PCollection<Void>> {
    private final String file;

    SaveRows(String file) {
      this.file = file;
    }

    @Override
    public PCollection<Void> expand(PCollection<ExploreRow> input) {
      return input.apply("Gather", WithKeys.<Void, ExploreRow>of((Void) null))
          .setCoder(KvCoder.of(VoidCoder.of(), ExploreRow.coder()))
          .apply("OneGroup", GroupByKey.create())
          .apply("Write", ParDo.of(new WriteFn(file)));
    }

    private static final class WriteFn extends DoFn<KV<Void, Iterable<ExploreRow>>, Void> {
      private final String file;

      WriteFn(String file) {
        this.file = file;
      }

      @ProcessElement
      public void process(@Element KV<Void, Iterable<ExploreRow>> rows) throws IOException {
        List<ExploreRow> list = new ArrayList<>();
        rows.getValue().forEach(list::add);
        try (OutputStream o = new java.io.BufferedOutputStream(Files.newOutputStream(Paths.get(file)))) {
          VarInt.encode(list.size(), o);
          for (ExploreRow r : list) {
            ExploreRow.coder().encode(r, o);
          }
        }
      }
    }
  }

  private static PcaModel readModel(Path file) throws IOException {
    try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(file))) {
      return (PcaModel) in.readObject();
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  private static List<ExploreRow> readRows(Path file) throws IOException {
    List<ExploreRow> rows = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return rows;
    }
    try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
      int n = VarInt.decodeInt(in);
      for (int i = 0; i < n; i++) {
        rows.add(ExploreRow.coder().decode(in));
      }
    }
    return rows;
  }

  /** PCA modes 1-4 (those kept) and the two logits, tested for the explorer's five comparisons. */
  static List<KsTable.Row> ksTests(List<ExploreRow> sample, int modes, double alpha) {
    Map<String, double[]> features = new LinkedHashMap<>();
    for (int m = 0; m < Math.min(4, modes); m++) {
      int mode = m;
      features.put("PCA Mode " + (m + 1), sample.stream().mapToDouble(r -> r.pca(mode)).toArray());
    }
    features.put(LOGIT_NO_FINDING, sample.stream().mapToDouble(ExploreRow::logitNoFinding).toArray());
    features.put(LOGIT_EFFUSION, sample.stream().mapToDouble(ExploreRow::logitEffusion).toArray());
    Map<String, String[]> attributes = new LinkedHashMap<>();
    attributes.put("disease", sample.stream().map(ExploreRow::disease).toArray(String[]::new));
    attributes.put("race", sample.stream().map(ExploreRow::race).toArray(String[]::new));
    attributes.put("sex", sample.stream().map(ExploreRow::sex).toArray(String[]::new));
    return KsTable.compute(features, attributes, KsComparison.chexploration(), alpha);
  }

  /**
   * The rows t-SNE embeds: all rows when {@code pool} (a seeded subsample of at most {@code max} rows)
   * holds fewer than {@code max}, i.e. all there are; else the sampled rows plus a seeded choice from the pool.
   */
  static List<ExploreRow> tsnePoints(List<ExploreRow> sample, List<ExploreRow> pool, int max, long seed) {
    if (pool.size() < max) {
      return pool;
    }
    if (sample.size() > max) {
      throw new IllegalArgumentException("--tsneMaxPoints=" + max + " is smaller than the " + sample.size()
          + " sampled rows that the t-SNE plot shows; raise it");
    }
    List<ExploreRow> points = new ArrayList<>(sample);
    int[] extra = SeededSampling.withoutReplacement(pool.size(), max - sample.size(), new SplittableRandom(seed));
    java.util.Arrays.sort(extra);
    for (int i : extra) {
      points.add(pool.get(i));
    }
    return points;
  }

  static KsTest ksRecord(KsTable.Row r, double alpha) {
    return KsTest.newBuilder().setFeature(r.feature()).setComparison(r.comparison().name())
        .setAttribute(r.comparison().attribute()).setGroupA(r.comparison().groupA()).setGroupB(r.comparison().groupB())
        .setN1(r.n1()).setN2(r.n2()).setStatistic(r.statistic()).setPValue(r.pValue()).setExact(r.exact())
        .setPAdjusted(r.pAdjusted()).setRejected(r.rejected()).setAlpha(alpha).build();
  }
}
