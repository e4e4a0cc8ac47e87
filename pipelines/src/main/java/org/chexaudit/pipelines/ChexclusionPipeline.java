package org.chexaudit.pipelines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.chexaudit.core.chexclusion.AucSummary;
import org.chexaudit.core.chexclusion.ChexclusionCsv;
import org.chexaudit.core.chexclusion.DisparityAttribute;
import org.chexaudit.core.chexclusion.DisparitySummary;
import org.chexaudit.core.chexclusion.GapShareCorrelation;
import org.chexaudit.core.chexclusion.MeanDisparity;
import org.chexaudit.core.chexclusion.RunEvaluation;
import org.chexaudit.core.stats.GapRules;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.core.stats.SeedInterval;
import org.chexaudit.core.stats.SubgroupKey;
import org.chexaudit.core.stats.TprGaps;
import org.chexaudit.pipelines.cli.Cli;
import org.chexaudit.pipelines.options.ChexclusionEvalOptions;
import org.chexaudit.pipelines.report.DisparityPlot;
import org.chexaudit.pipelines.stage.AvroFiles;
import org.chexaudit.pipelines.stage.OptionsManifest;
import org.chexaudit.pipelines.stage.PipelineRuns;
import org.chexaudit.pipelines.stage.StageOutput;
import org.chexaudit.schemas.SubgroupMetric;
import org.chexaudit.schemas.TprGap;
import org.chexaudit.transforms.chexclusion.BinaryPredictions;
import org.chexaudit.transforms.chexclusion.BlankMissingGroups;
import org.chexaudit.transforms.chexclusion.MeanGapsOverRuns;
import org.chexaudit.transforms.chexclusion.RunRecords;
import org.chexaudit.transforms.io.Resources;
import org.chexaudit.transforms.io.WriteAvroFile;
import org.chexaudit.transforms.metrics.ReadScoredRows;
import org.chexaudit.transforms.metrics.ScoredRowColumns;
import org.chexaudit.transforms.metrics.SubgroupMetrics;
import org.chexaudit.transforms.metrics.TprDisparity;
import org.chexaudit.transforms.metrics.ValidationThresholds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code chexclusion-eval} command: CheXclusion's evaluation (seeds-spec B5–B7) of one or more
 * training runs on the same split. Per run: max-F1 thresholds on validation, binary test
 * predictions, AUC/AUPRC, TPR gaps per subgroup. Over runs: mean ± 1.96·sd/√runs (or a t-interval),
 * Distance, the summary table, gap-vs-share correlations and the disparity plots. Files keep the
 * original's names and columns.
 *
 * <p>One pipeline reads every run's predictions and computes everything that grows with them, with the
 * transforms of the {@code metrics} command: per run, {@link ValidationThresholds} on the validation
 * rows, {@link SubgroupMetrics} on the test rows at those thresholds, {@link TprDisparity}; then
 * {@link MeanGapsOverRuns}; {@code bipred.csv} is written sorted by id through {@link SortedCsvShards}.
 * The client then reads back the small records ({@code metrics.avro}, {@code disparity.avro}: a few per
 * run, label and group) and draws up the CheXclusion tables and plots from them ({@code core.chexclusion},
 * into a local scratch folder that is copied into the output). No prediction row passes through the client.
 */
public final class ChexclusionPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(ChexclusionPipeline.class);
  static final String COMMAND = "chexclusion-eval";
  private static final String BIPRED = "bipred.csv";

  private ChexclusionPipeline() {}

  public static void main(String[] args) {
    Cli.run(COMMAND, args, ChexclusionEvalOptions.class, ChexclusionPipeline::run);
  }

  /** Evaluates every run in one pipeline, then writes the CheXclusion tables from its small outputs. */
  public static PipelineResult run(ChexclusionEvalOptions options) {
    List<String> scores = Cli.commaList(options.getScoreColumns());
    List<String> targets = Cli.commaList(options.getTargetColumns());
    List<String> labels = options.getLabels() == null ? scores : Cli.commaList(options.getLabels());
    if (labels.size() != scores.size()) {
      throw new IllegalArgumentException("--labels has " + labels.size() + " names but --scoreColumns has "
          + scores.size() + ": " + labels + " vs " + scores);
    }
    List<DisparityAttribute> attributes = attributes(options);
    List<String> attributeNames = attributes.stream().map(DisparityAttribute::name).toList();
    List<ResourceId> runDirs = Cli.commaList(options.getRuns()).stream().map(Resources::dir).toList();
    List<String> runNames = options.getRunNames() == null
        ? runDirs.stream().map(d -> d.getFilename()).toList()
        : Cli.commaList(options.getRunNames());
    if (runNames.size() != runDirs.size()) {
      throw new IllegalArgumentException("--runNames has " + runNames.size() + " names but --runs has "
          + runDirs.size() + " folders");
    }
    if (new HashSet<>(runNames).size() != runNames.size()) {
      throw new IllegalArgumentException("run names must be distinct, got " + runNames + "; set --runNames");
    }
    String groupsFile = options.getGroupsFile() == null ? null : Resources.absolute(options.getGroupsFile());
    ScoredRowColumns valColumns = ScoredRowColumns.of(scores, targets, List.of(), options.getIdColumn(), null);
    ScoredRowColumns testColumns = ScoredRowColumns.of(scores, targets, attributeNames, options.getIdColumn(), null);
    // each file's header is read here, so a missing file or column is named before any work
    List<ReadScoredRows> valReads = new ArrayList<>();
    List<ReadScoredRows> testReads = new ArrayList<>();
    List<String[]> runFiles = new ArrayList<>();
    int idBuckets = Spread.buckets(options, ReadScoredRows.ID_BUCKETS);
    int keyShards = Spread.buckets(options, SubgroupMetrics.DEFAULT_KEY_SHARDS);
    for (ResourceId dir : runDirs) {
      String val = Resources.path(Resources.file(dir, options.getValidationFile()));
      String test = Resources.path(Resources.file(dir, options.getTestFile()));
      Resources.requireFile("--validationFile", val);
      Resources.requireFile("--testFile", test);
      valReads.add(ReadScoredRows.from(val, valColumns).withIdBuckets(idBuckets));
      ReadScoredRows read = ReadScoredRows.from(test, testColumns).withIdBuckets(idBuckets);
      testReads.add(groupsFile == null ? read : read.withGroupsFile(groupsFile));
      runFiles.add(new String[] {val, test});
    }
    SeedInterval interval = options.getSeedInterval();

    StageOutput out = StageOutput.begin(COMMAND, Resources.absolute(options.getOutput()), options.getOverwrite());
    if (groupsFile != null) {
      out.withInput("groupsFile", groupsFile);
    }
    for (int k = 0; k < runNames.size(); k++) {
      out.withInput(runNames.get(k) + "/validation", runFiles.get(k)[0])
          .withInput(runNames.get(k) + "/test", runFiles.get(k)[1]);
    }
    Path tmp = null;
    try {
      long start = System.nanoTime();
      Pipeline p = Pipeline.create(options);
      GapRules gapRules = GapRules.complementFor(attributes.stream()
          .filter(a -> a.rule() == TprGaps.Rule.COMPLEMENT).map(DisparityAttribute::name).toList());
      PCollectionList<SubgroupMetric> metricsByRun = PCollectionList.empty(p);
      for (int k = 0; k < runNames.size(); k++) {
        String run = runNames.get(k);
        PCollection<KV<String, Double>> thresholds = p
            .apply("ReadValidation" + run, valReads.get(k))
            .apply("ValidationThresholds" + run, ValidationThresholds.maxF1(labels).withKeyShards(keyShards));
        PCollection<ScoredRow> test = p
            .apply("ReadTest" + run, testReads.get(k))
            .apply("BlankMissingGroups" + run, BlankMissingGroups.of(attributes));
        metricsByRun = metricsByRun.and(test
            .apply("SubgroupMetrics" + run, SubgroupMetrics.of(labels, attributeNames, attributeNames)
                .withKeyShards(keyShards).withThresholds(thresholds))
            .apply("SetRun" + run, MapElements.into(TypeDescriptor.of(SubgroupMetric.class))
                .via((SubgroupMetric m) -> SubgroupMetric.newBuilder(m).setRun(run).build()))
            .setCoder(AvroCoder.of(SubgroupMetric.class)));
        test.apply("BinaryPredictions" + run, BinaryPredictions.at(labels, thresholds))
            .apply("KeyBipred" + run, MapElements.into(ROW_TYPE).via((KV<String, String> row) -> KV.of(BIPRED, row)))
            .apply("WriteBipred" + run, SortedCsvShards.to(bipredShards(out, run)));
      }
      PCollection<SubgroupMetric> metrics = metricsByRun.apply("AllRuns", Flatten.pCollections());
      PCollection<TprGap> runGaps = metrics.apply("TprDisparity", TprDisparity.create().withGapRules(gapRules));
      PCollection<TprGap> meanGaps =
          runGaps.apply("MeanGapsOverRuns", MeanGapsOverRuns.of(runNames, labels, attributes, interval));
      PCollectionList.of(runGaps).and(meanGaps).apply("AllGaps", Flatten.pCollections())
          .apply("WriteGaps", WriteAvroFile.to(TprGap.class, out.prefix("disparity.avro")));
      metrics.apply("WriteMetrics", WriteAvroFile.to(SubgroupMetric.class, out.prefix("metrics.avro")));
      PipelineResult result = PipelineRuns.runToEnd(p);
      for (String run : runNames) {
        SortedCsvShards.merge(bipredShards(out, run), Resources.dir(out.dir(), "results" + run),
            Map.of(BIPRED, BinaryPredictions.header(labels)));
      }

      // the tables, from the small records the pipeline wrote
      List<SubgroupMetric> metricRecords = AvroFiles.read(out.file("metrics.avro"), SubgroupMetric.class);
      List<TprGap> gapRecords = AvroFiles.read(out.file("disparity.avro"), TprGap.class);
      Map<String, RunEvaluation> runs = new LinkedHashMap<>();
      for (String run : runNames) {
        runs.put(run, RunRecords.of(labels, attributes,
            metricRecords.stream().filter(m -> m.getRun() != null && run.equals(m.getRun().toString())).toList(),
            gapRecords.stream().filter(g -> g.getRun() != null && run.equals(g.getRun().toString())).toList()));
      }
      tmp = scratch();
      writeRunFiles(tmp, runs);
      List<RunEvaluation> all = List.copyOf(runs.values());
      AucSummary auc = AucSummary.of(all, interval);
      ChexclusionCsv.writeAucSummary(tmp.resolve("AUC.csv"), auc, all.size());
      Set<String> excluded = Set.copyOf(Cli.commaList(options.getSummaryExclude()));
      List<DisparitySummary> summaries = new ArrayList<>();
      List<GapShareCorrelation.Row> correlations = new ArrayList<>();
      for (DisparityAttribute a : attributes) {
        MeanDisparity d = MeanDisparity.of(a, all, interval);
        ChexclusionCsv.writeMeanDisparity(tmp.resolve("Want" + capitalised(a.name()) + ".csv"), d);
        summaries.add(DisparitySummary.of(d, excluded));
        correlations.addAll(GapShareCorrelation.of(d, options.getCorrelationThreshold()));
        DisparityPlot.write(out.file("TPR_Dis_" + a.name().toUpperCase() + ".png"), d, all.size());
      }
      ChexclusionCsv.writeSummary(tmp.resolve("SummaryTable.csv"), summaries);
      ChexclusionCsv.writeCorrelations(tmp.resolve("Correlation.csv"), correlations, options.getCorrelationThreshold());
      Resources.upload(tmp, out.dir());

      Map<String, Object> opts = OptionsManifest.of(options, ChexclusionEvalOptions.class);
      opts.put("runNames", runNames);
      opts.put("labels", labels);
      opts.put("attributes", attributes.stream().map(DisparityAttribute::toString).toList());
      opts.put("summaryExclude", List.copyOf(excluded));
      opts.put("seedInterval", interval.name());
      Map<String, Object> counts = new LinkedHashMap<>();
      counts.put("runs", runs.size());
      counts.put("labels", labels.size());
      counts.put("test_rows", testRows(metricRecords, runNames.get(0), labels.get(0)));
      counts.put("mean_auc", auc.meanAuc());
      String done = out.commit(opts, counts);
      LOG.info(String.format("chexclusion-eval: %d runs, %d labels, mean AUC %.4f in %.1f s -> %s", runs.size(),
          labels.size(), auc.meanAuc(), (System.nanoTime() - start) / 1e9, done));
      return result;
    } catch (RuntimeException e) {
      out.abort();
      throw e;
    } finally {
      if (tmp != null) {
        Resources.deleteTree(Resources.dir(tmp.toString()));
      }
    }
  }

  private static final TypeDescriptor<KV<String, KV<String, String>>> ROW_TYPE =
      TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()));

  /** Where one run's sorted {@code bipred.csv} shards wait for the merge (inside the unfinished output). */
  private static String bipredShards(StageOutput out, String run) {
    return out.prefix("_bipred_shards_" + run);
  }

  /** The test rows of a run: the whole set's size for one label (every row has every label). */
  private static long testRows(List<SubgroupMetric> metrics, String run, String label) {
    return metrics.stream().filter(m -> run.equals(String.valueOf(m.getRun())) && label.equals(m.getLabel().toString())
        && SubgroupKey.ALL.equals(m.getAttribute().toString())).mapToLong(SubgroupMetric::getN).findFirst().orElse(0);
  }

  static List<DisparityAttribute> attributes(ChexclusionEvalOptions options) {
    Set<String> complement = Set.copyOf(Cli.commaList(options.getComplementColumns()));
    Map<String, List<String>> order = groupOrder(options.getGroupOrder());
    List<String> missing = new ArrayList<>(List.of(""));
    Arrays.stream(options.getMissingValues().split("\\|")).map(String::trim).forEach(missing::add);
    List<DisparityAttribute> out = new ArrayList<>();
    for (String name : Cli.commaList(options.getGroupColumns() == null ? "sex,age" : options.getGroupColumns())) {
      TprGaps.Rule rule = complement.contains(name) ? TprGaps.Rule.COMPLEMENT : TprGaps.Rule.MEDIAN;
      out.add(DisparityAttribute.of(name, rule).withOrder(order.getOrDefault(name, List.of())).withMissing(missing));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("--groupColumns is empty");
    }
    return out;
  }

  /** Parses {@code attr=g1|g2;attr2=...}. */
  static Map<String, List<String>> groupOrder(String text) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String part : text.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--groupOrder: '" + part + "' is not attr=g1|g2|...");
      }
      out.put(part.substring(0, eq).trim(),
          Arrays.stream(part.substring(eq + 1).split("\\|")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }
    return out;
  }

  /**
   * A local folder for the tables {@code core.chexclusion} writes (plain Java, with {@code java.nio} paths);
   * the client copies it into the output through {@link Resources} and deletes it.
   */
  private static Path scratch() {
    try {
      return Files.createTempDirectory("chexclusion-eval");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a scratch folder: " + e.getMessage(), e);
    }
  }

  private static void writeRunFiles(Path dir, Map<String, RunEvaluation> runs) {
    try {
      for (Map.Entry<String, RunEvaluation> e : runs.entrySet()) {
        String name = e.getKey();
        RunEvaluation run = e.getValue();
        Path runDir = Files.createDirectories(dir.resolve("results" + name));
        ChexclusionCsv.writeThresholds(runDir.resolve("Threshold.csv"), run);
        ChexclusionCsv.writeEval(runDir.resolve("TestEval.csv"), run);
        ChexclusionCsv.writeEval(dir.resolve("Eval" + name + ".csv"), run);
        for (String a : run.attributes()) {
          ChexclusionCsv.writeRunGaps(runDir.resolve("Run" + name + "_" + a + ".csv"), run, a);
          ChexclusionCsv.writeRunTpr(runDir.resolve("Run" + name + "_TPR_" + a + ".csv"), run, a);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write run files under " + dir + ": " + e.getMessage(), e);
    }
  }

  private static String capitalised(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
