package org.chexaudit.pipelines;

import org.chexaudit.pipelines.cli.Cli;
import org.chexaudit.pipelines.report.DisparityPlot;
import org.chexaudit.pipelines.stage.StageOutput;

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
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.chexaudit.pipelines.options.ChexclusionEvalOptions;
import org.chexaudit.schemas.SubgroupMetric;
import org.chexaudit.schemas.TprGap;
import org.chexaudit.core.stats.GapRules;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.core.stats.SeedInterval;
import org.chexaudit.core.stats.TprGaps;
import org.chexaudit.transforms.coders.ScoredRowCoder;
import org.chexaudit.transforms.metrics.SubgroupMetrics;
import org.chexaudit.transforms.metrics.TprDisparity;
import org.chexaudit.core.chexclusion.AucSummary;
import org.chexaudit.core.chexclusion.ChexclusionCsv;
import org.chexaudit.core.chexclusion.DisparityAttribute;
import org.chexaudit.core.chexclusion.DisparitySummary;
import org.chexaudit.core.chexclusion.GapShareCorrelation;
import org.chexaudit.core.chexclusion.MeanDisparity;
import org.chexaudit.core.chexclusion.RunEvaluation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.chexaudit.pipelines.stage.OptionsManifest;
import org.chexaudit.transforms.io.Resources;

/**
 * The {@code chexclusion-eval} command: CheXclusion's evaluation (seeds-spec B5–B7) of one or more
 * training runs on the same split. Per run: max-F1 thresholds on validation, binary test
 * predictions, AUC/AUPRC, TPR gaps per subgroup. Over runs: mean ± 1.96·sd/√runs (or a t-interval),
 * Distance, the summary table, gap-vs-share correlations and the disparity plots. Files keep the
 * original's names and columns. The per-run Avro ({@code metrics.avro}, {@code disparity.avro}) is
 * computed by the same Beam transforms as the {@code metrics} command ({@link SubgroupMetrics} at the
 * validation max-F1 thresholds, {@link TprDisparity} with the attributes' gap rules).
 *
 * <p>Inputs and outputs are Beam paths, read and written through {@link Resources}; but the runs'
 * prediction files are still read and evaluated on the client (a few MB each for CheXclusion's test
 * sets), and the CheXclusion tables are drawn up by {@code core.chexclusion} into a local scratch folder
 * that is then copied into the output.
 */
public final class ChexclusionPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(ChexclusionPipeline.class);
  static final String COMMAND = "chexclusion-eval";

  private ChexclusionPipeline() {}

  public static void main(String[] args) {
    Cli.run(COMMAND, args, ChexclusionEvalOptions.class, ChexclusionPipeline::run);
  }

  /** Loads and evaluates every run, writes the files, then writes the Avro with a Beam pipeline. */
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
    ScoredRowLoader valLoader = new ScoredRowLoader(scores, targets, List.of(), options.getIdColumn(), null);
    ScoredRowLoader testLoader = new ScoredRowLoader(scores, targets, attributeNames, options.getIdColumn(), null);

    StageOutput out = StageOutput.begin(COMMAND, Resources.absolute(options.getOutput()), options.getOverwrite());
    if (groupsFile != null) {
      out.withInput("groupsFile", groupsFile);
    }
    Path tmp = null;
    try {
      long start = System.nanoTime();
      Map<String, RunEvaluation> runs = new LinkedHashMap<>();
      Map<String, List<ScoredRow>> testRowsByRun = new LinkedHashMap<>();
      for (int k = 0; k < runDirs.size(); k++) {
        String val = Resources.path(Resources.file(runDirs.get(k), options.getValidationFile()));
        String test = Resources.path(Resources.file(runDirs.get(k), options.getTestFile()));
        List<ScoredRow> valRows = valLoader.load(val, null);
        List<ScoredRow> testRows = testLoader.load(test, groupsFile);
        out.withInput(runNames.get(k) + "/validation", val).withInput(runNames.get(k) + "/test", test);
        runs.put(runNames.get(k), RunEvaluation.evaluate(labels, valRows, testRows, attributes));
        testRowsByRun.put(runNames.get(k), testRows);
      }
      SeedInterval interval = options.getSeedInterval();
      tmp = scratch();
      writeRunFiles(tmp, runs);
      List<RunEvaluation> all = List.copyOf(runs.values());
      AucSummary auc = AucSummary.of(all, interval);
      ChexclusionCsv.writeAucSummary(tmp.resolve("AUC.csv"), auc, all.size());
      Set<String> excluded = Set.copyOf(Cli.commaList(options.getSummaryExclude()));
      List<MeanDisparity> disparities = new ArrayList<>();
      List<DisparitySummary> summaries = new ArrayList<>();
      List<GapShareCorrelation.Row> correlations = new ArrayList<>();
      for (DisparityAttribute a : attributes) {
        MeanDisparity d = MeanDisparity.of(a, all, interval);
        disparities.add(d);
        ChexclusionCsv.writeMeanDisparity(tmp.resolve("Want" + capitalised(a.name()) + ".csv"), d);
        summaries.add(DisparitySummary.of(d, excluded));
        correlations.addAll(GapShareCorrelation.of(d, options.getCorrelationThreshold()));
        DisparityPlot.write(out.file("TPR_Dis_" + a.name().toUpperCase() + ".png"), d, all.size());
      }
      ChexclusionCsv.writeSummary(tmp.resolve("SummaryTable.csv"), summaries);
      ChexclusionCsv.writeCorrelations(tmp.resolve("Correlation.csv"), correlations, options.getCorrelationThreshold());
      Resources.upload(tmp, out.dir());

      Pipeline p = Pipeline.create(options);
      GapRules gapRules = GapRules.complementFor(attributes.stream()
          .filter(a -> a.rule() == TprGaps.Rule.COMPLEMENT).map(DisparityAttribute::name).toList());
      PCollectionList<SubgroupMetric> metricsByRun = PCollectionList.empty(p);
      for (Map.Entry<String, RunEvaluation> e : runs.entrySet()) {
        String run = e.getKey();
        Map<String, Double> thresholds = new LinkedHashMap<>();
        e.getValue().scores().forEach(sc -> thresholds.put(sc.label(), sc.threshold()));
        List<ScoredRow> rows = testRowsByRun.get(run).stream().map(r -> missingAsBlank(r, attributes)).toList();
        metricsByRun = metricsByRun.and(p
            .apply("TestRows" + run, Create.of(rows).withCoder(ScoredRowCoder.of()))
            .apply("SubgroupMetrics" + run, SubgroupMetrics.of(labels, attributeNames, attributeNames)
                .withThresholds(thresholds))
            .apply("SetRun" + run, MapElements.into(TypeDescriptor.of(SubgroupMetric.class))
                .via((SubgroupMetric m) -> SubgroupMetric.newBuilder(m).setRun(run).build()))
            .setCoder(AvroCoder.of(SubgroupMetric.class)));
      }
      PCollection<SubgroupMetric> metrics = metricsByRun.apply("AllRuns", Flatten.pCollections());
      PCollection<TprGap> runGaps = metrics.apply("TprDisparity", TprDisparity.create().withGapRules(gapRules));
      PCollection<TprGap> meanGaps = p.apply("MeanGaps",
          Create.of(meanGapRecords(disparities)).withCoder(AvroCoder.of(TprGap.class)));
      PCollectionList.of(runGaps).and(meanGaps).apply("AllGaps", Flatten.pCollections())
          .apply("WriteGaps", AvroIO.write(TprGap.class).to(out.prefix("disparity"))
              .withSuffix(".avro").withoutSharding());
      metrics.apply("WriteMetrics", AvroIO.write(SubgroupMetric.class).to(out.prefix("metrics"))
          .withSuffix(".avro").withoutSharding());
      PipelineResult result = p.run();
      result.waitUntilFinish();

      Map<String, Object> opts = OptionsManifest.of(options, ChexclusionEvalOptions.class);
      opts.put("runNames", runNames);
      opts.put("labels", labels);
      opts.put("attributes", attributes.stream().map(DisparityAttribute::toString).toList());
      opts.put("summaryExclude", List.copyOf(excluded));
      opts.put("seedInterval", interval.name());
      Map<String, Object> counts = new LinkedHashMap<>();
      counts.put("runs", runs.size());
      counts.put("labels", labels.size());
      counts.put("test_rows", runs.values().iterator().next().testIds().size());
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
        ChexclusionCsv.writeBinaryPredictions(runDir.resolve("bipred.csv"), run);
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

  /** The row with every missing attribute value blank, so the Beam groupings leave it out as the CSVs do. */
  private static ScoredRow missingAsBlank(ScoredRow r, List<DisparityAttribute> attributes) {
    double[] scores = new double[r.labelCount()];
    int[] targets = new int[r.labelCount()];
    for (int l = 0; l < scores.length; l++) {
      scores[l] = r.score(l);
      targets[l] = r.target(l);
    }
    String[] values = new String[attributes.size()];
    for (int a = 0; a < values.length; a++) {
      String v = r.attribute(a);
      values[a] = attributes.get(a).isMissing(v) ? "" : v.trim();
    }
    return ScoredRow.ofTrusted(r.id(), r.patient(), scores, targets, values);
  }

  /** The mean over runs as {@link TprGap} rows with {@code run} null. */
  private static List<TprGap> meanGapRecords(List<MeanDisparity> disparities) {
    List<TprGap> out = new ArrayList<>();
    for (MeanDisparity d : disparities) {
      for (MeanDisparity.Row r : d.rows()) {
        for (MeanDisparity.GroupMean g : r.groups()) {
          out.add(TprGap.newBuilder().setLabel(r.label()).setAttribute(d.attribute()).setGroup(g.group())
              .setTprGap(orNull(g.gap())).setShareOfPositives(orNull(g.share())).setCi(orNull(g.ci()))
              .setDistance(orNull(r.distance())).build());
        }
      }
    }
    return out;
  }

  private static Double orNull(double v) {
    return Double.isNaN(v) ? null : v;
  }

  private static String capitalised(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
