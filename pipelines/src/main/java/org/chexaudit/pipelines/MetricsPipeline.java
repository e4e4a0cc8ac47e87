package org.chexaudit.pipelines;

import org.chexaudit.pipelines.stage.PipelineRuns;
import org.chexaudit.pipelines.cli.Cli;
import org.chexaudit.pipelines.stage.StageOutput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import java.util.ArrayList;
import java.util.Comparator;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.values.KV;
import org.chexaudit.transforms.io.CollectToFile;
import org.chexaudit.transforms.io.Resources;
import org.chexaudit.transforms.io.WriteAvroFile;
import org.chexaudit.transforms.metrics.ReadScoredRows;
import org.chexaudit.transforms.metrics.ScoredRowColumns;
import org.apache.beam.sdk.values.PCollection;
import org.chexaudit.pipelines.options.MetricsOptions;
import org.chexaudit.schemas.SubgroupMetric;
import org.chexaudit.schemas.TprGap;
import org.chexaudit.transforms.metrics.Bootstrap;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.core.stats.ScoredRowBatch;
import org.chexaudit.transforms.metrics.SubgroupMetrics;
import org.chexaudit.transforms.metrics.ValidationThresholds;
import org.chexaudit.transforms.metrics.TprDisparity;
import org.chexaudit.transforms.metrics.UnbatchScoredRows;
import org.chexaudit.core.stats.FixedThresholdRule;
import org.chexaudit.core.stats.GapRules;
import org.chexaudit.core.stats.ThresholdRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.chexaudit.pipelines.options.SeedOption;
import org.chexaudit.pipelines.report.Png;
import org.chexaudit.pipelines.stage.OptionsManifest;
import org.chexaudit.core.stats.ThresholdScope;
import org.chexaudit.schemas.MetricInterval;

/**
 * The {@code metrics} command: per-subgroup AUC, TPR, FPR at one threshold per label, TPR
 * disparity and bootstrap intervals for any model's predictions. Writes {@code metrics.csv},
 * {@code disparity.csv}, {@code calibration.csv}, the same as Avro, and ROC / TPR-gap PNGs.
 *
 * <p>Every input and output is a Beam path ({@code /local}, {@code file:}, {@code hdfs://} ...): the rows
 * are read, parsed, joined and reduced inside the pipeline; the client reads back only the small
 * per-subgroup Avro to write the CSV tables and plots through {@link Resources}.
 */
public final class MetricsPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsPipeline.class);
  static final String COMMAND = "metrics";
  /** Seed of the bootstrap without {@code --seed}. */
  static final long DEFAULT_SEED = 42;

  private MetricsPipeline() {}

  public static void main(String[] args) {
    Cli.run(COMMAND, args, MetricsOptions.class, MetricsPipeline::run);
  }

  /** Validates the inputs, runs the pipeline, writes the reports and moves the output into place. */
  public static PipelineResult run(MetricsOptions options) {
    List<String> scores = Cli.commaList(options.getScoreColumns());
    // people read label names (Pleural Effusion), not score columns (class_10)
    List<String> labels = options.getLabelNames() == null ? scores : Cli.commaList(options.getLabelNames());
    if (labels.size() != scores.size()) {
      throw new IllegalArgumentException("--labelNames names " + labels.size() + " labels " + labels
          + " but --scoreColumns has " + scores.size() + " columns " + scores);
    }
    List<String> targets = Cli.commaList(options.getTargetColumns());
    List<String> groupings = Cli.commaList(options.getGroupColumns() == null ? "sex,race" : options.getGroupColumns());
    String[] groupThresholds = groupThresholds(options.getGroupThresholds());
    LinkedHashSet<String> attributeSet = new LinkedHashSet<>(
        groupings.stream().flatMap(g -> Arrays.stream(g.split("\\*"))).map(String::trim).toList());
    if (groupThresholds != null) {
      attributeSet.addAll(List.of(groupThresholds));
    }
    String strata = options.getBootstrapStrata() == null || options.getBootstrapStrata().isBlank()
        ? null : options.getBootstrapStrata().trim();
    if (strata != null) {
      attributeSet.add(strata);
    }
    List<String> attributes = List.copyOf(attributeSet);
    Bootstrap.Unit unit = options.getBootstrapUnit().unit();
    if (unit == Bootstrap.Unit.PATIENT && options.getPatientColumn() == null) {
      throw new IllegalArgumentException("--bootstrapUnit=patient needs --patientColumn");
    }
    if (unit == Bootstrap.Unit.PATIENT && strata != null) {
      throw new IllegalArgumentException("--bootstrapStrata=" + strata + " applies to --bootstrapUnit=image only");
    }
    int bootstrap = options.getBootstrap() == null ? 2000 : options.getBootstrap();
    if (bootstrap < 0) {
      throw new IllegalArgumentException("--bootstrap must be >= 0, got " + bootstrap);
    }
    String predictions = absolute(options.getPredictions());
    String groupsFile = options.getGroupsFile() == null ? null : absolute(options.getGroupsFile());
    // the rows are read, parsed and joined inside the pipeline; the header is read here, once
    ReadScoredRows read = ReadScoredRows.from(predictions, ScoredRowColumns.of(scores, targets, attributes,
        options.getIdColumn(), options.getPatientColumn())).withIdBuckets(Spread.buckets(options, ReadScoredRows.ID_BUCKETS));
    if (groupsFile != null) {
      read = read.withGroupsFile(groupsFile);
    }

    SubgroupMetrics metrics = SubgroupMetrics.of(labels, attributes, groupings)
        .withKeyShards(Spread.buckets(options, SubgroupMetrics.DEFAULT_KEY_SHARDS))
        .withMinGroupSize(options.getMinGroupSize()).withCalibrationBins(options.getCalibrationBins());
    GapRules gapRules = GapRules.complementFor(Cli.commaList(options.getComplementColumns()));
    String rule = options.getThresholdRule().trim();
    String validation = null;
    ReadScoredRows readValidation = null;
    if (rule.startsWith("maxf1:")) {
      validation = absolute(rule.substring("maxf1:".length()));
      if (options.getThresholdScope() != ThresholdScope.GLOBAL) {
        throw new IllegalArgumentException("--thresholdScope=" + options.getThresholdScope()
            + " needs a rule applied to the audited groups, not --thresholdRule=" + rule);
      }
      // the header is read now, so a missing file or column is named before any work
      readValidation = ReadScoredRows.from(validation,
          ScoredRowColumns.of(scores, targets, List.of(), options.getIdColumn(), null))
          .withIdBuckets(Spread.buckets(options, ReadScoredRows.ID_BUCKETS));
    } else {
      ThresholdRule parsed = ThresholdRule.parse(rule);
      checkInSample(parsed, options.getInSampleThreshold());
      metrics = metrics.withRule(parsed).withScope(options.getThresholdScope());
    }
    String thresholdSource = validation != null ? "validation file " + fileName(validation)
        : ThresholdRule.parse(rule) instanceof FixedThresholdRule ? "fixed value"
        : "the audited rows (in-sample, --inSampleThreshold=true)";

    StageOutput out = StageOutput.begin(COMMAND, Resources.absolute(options.getOutput()), options.getOverwrite())
        .withInput("predictions", inputPath(predictions));
    if (groupsFile != null) {
      out.withInput("groupsFile", inputPath(groupsFile));
    }
    if (validation != null) {
      out.withInput("validation", validation);
    }
    try {
      long start = System.nanoTime();
      if (readValidation != null) {
        metrics = metrics.withThresholds(maxF1Thresholds(options, readValidation, labels, validation, out));
      }
      Png.warmUpInBackground(); // the figures are drawn when the pipeline ends
      Pipeline p = Pipeline.create(options);
      // the rows travel in batches to the metrics; one by one only to the steps that need them so
      PCollection<ScoredRowBatch> batches = p.apply("ReadPredictions", read.batches());
      PCollection<ScoredRow> input = bootstrap > 0 || groupThresholds != null
          ? batches.apply("Rows", UnbatchScoredRows.create()) : null;
      PCollection<MetricInterval> intervals = null;
      if (bootstrap > 0) {
        Bootstrap b = metrics.bootstrap().withReplicates(bootstrap).withSeed(SeedOption.seedOr(options, DEFAULT_SEED)).withUnit(unit)
            .withGapRules(gapRules);
        intervals = input.apply("Bootstrap", strata == null ? b : b.withStrata(strata));
      }
      SubgroupMetrics withIntervals = intervals == null ? metrics : metrics.withIntervals(intervals);
      PCollection<SubgroupMetric> perGroup = batches.apply("SubgroupMetrics", withIntervals.onBatches());
      TprDisparity disparity = TprDisparity.create().withGapRules(gapRules);
      if (intervals != null) {
        disparity = disparity.withIntervals(intervals);
      }
      PCollection<TprGap> gaps = perGroup.apply("TprDisparity", disparity);
      perGroup.apply("WriteMetricsAvro", WriteAvroFile.to(SubgroupMetric.class, out.prefix("metrics.avro")));
      gaps.apply("WriteDisparityAvro", WriteAvroFile.to(TprGap.class, out.prefix("disparity.avro")));
      String groupThresholdRows = out.prefix(".group_thresholds.bin");
      if (groupThresholds != null) {
        if (validation != null) {
          throw new IllegalArgumentException("--groupThresholds needs a rule chosen on the audited rows"
              + " (fpr:X, youden, value:X), not --thresholdRule=" + rule);
        }
        input.apply("GroupThresholds", new GroupThresholdRows(labels, groupThresholds[0],
                attributes.indexOf(groupThresholds[0]), groupThresholds[1], attributes.indexOf(groupThresholds[1]),
                ThresholdRule.parse(rule)))
            .apply("CollectGroupThresholds", CollectToFile.to(groupThresholdRows));
      }
      PipelineResult result = PipelineRuns.runToEnd(p);
      long rows = rowsRead(result);
      if (rows == 0) {
        throw new IllegalArgumentException(predictions + ": no rows");
      }
      MetricsReport report = MetricsReport.read(out.dir(), intervals != null);
      report.writeCsv(out.dir(), "threshold chosen on " + thresholdSource);
      report.writePlots(out.dir());
      if (groupThresholds != null) {
        writeGroupThresholds(groupThresholdRows, out.file("group_thresholds.csv"));
      }
      Map<String, Object> opts = OptionsManifest.of(options, MetricsOptions.class);
      opts.put("labelNames", labels);
      opts.put("groupColumns", groupings);
      opts.put("thresholdChosenOn", thresholdSource);
      opts.put("bootstrapStrata", strata == null ? "each label's target" : strata);
      opts.put("bootstrap", bootstrap);
      opts.put("seed", SeedOption.seedOr(options, DEFAULT_SEED));
      Map<String, Object> counts = new LinkedHashMap<>();
      counts.put("rows", rows);
      counts.put("metric_rows", report.metrics().size());
      counts.put("disparity_rows", report.gaps().size());
      String done = out.commit(opts, counts);
      LOG.info(String.format("metrics: %d rows, %d labels, %d metric rows in %.1f s -> %s", rows, scores.size(),
          report.metrics().size(), (System.nanoTime() - start) / 1e9, done));
      return result;
    } catch (RuntimeException e) {
      out.abort();
      throw e;
    }
  }

  /** An absolute Beam path: a local path or glob made absolute, any other scheme as given. */
  static String absolute(String path) {
    return Resources.absolute(path);
  }

  /** What the manifest fingerprints: the file, or for a glob the folder it lists. */
  private static String inputPath(String pattern) {
    return pattern.matches(".*[*?\\[{].*") ? pattern.substring(0, pattern.lastIndexOf('/')) : pattern;
  }

  /** The last part of a path string ({@code a/b/val.csv} is {@code val.csv}). */
  private static String fileName(String path) {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return p.substring(p.lastIndexOf('/') + 1);
  }

  private static long rowsRead(PipelineResult result) {
    MetricQueryResults q = result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(ReadScoredRows.class, ReadScoredRows.ROWS)).build());
    long n = 0;
    for (MetricResult<Long> c : q.getCounters()) {
      n += c.getAttempted();
    }
    return n;
  }

  private static void writeGroupThresholds(String collected, ResourceId csv) {
    try {
      List<KV<Integer, List<List<String>>>> byLabel = CollectToFile.read(collected,
          KvCoder.of(VarIntCoder.of(), ListCoder.of(ListCoder.of(StringUtf8Coder.of()))));
      List<List<String>> table = new ArrayList<>();
      byLabel.stream().sorted(Comparator.comparing(KV::getKey)).forEach(kv -> table.addAll(kv.getValue()));
      GroupThresholdTable.write(csv, table);
      Resources.delete(Resources.file(collected));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write group_thresholds.csv", e);
    }
  }

  /** {@code ATTRIBUTE} or {@code ATTRIBUTE:COLUMN} as {attribute, column}, or null when not given. */
  static String[] groupThresholds(String spec) {
    if (spec == null || spec.isBlank()) {
      return null;
    }
    String[] parts = spec.trim().split(":", 2);
    String attribute = parts[0].trim();
    String by = parts.length > 1 ? parts[1].trim() : attribute;
    if (attribute.isEmpty() || by.isEmpty() || attribute.contains("*")) {
      throw new IllegalArgumentException("--groupThresholds '" + spec + "' must be ATTRIBUTE or ATTRIBUTE:COLUMN");
    }
    return new String[] {attribute, by};
  }

  /**
   * A rule that reads the threshold off the audited rows' own scores is in-sample: the audit then
   * measures TPR/FPR at a point tuned on the same rows. Refused unless the user says so explicitly.
   */
  static void checkInSample(ThresholdRule rule, boolean accepted) {
    if (!(rule instanceof FixedThresholdRule) && !accepted) {
      throw new IllegalArgumentException("--thresholdRule=" + rule.describe() + " would choose the threshold on the"
          + " audited rows themselves (in-sample). Give a validation file (--thresholdRule=maxf1:VALFILE), a fixed"
          + " --thresholdRule=value:X, or accept it with --inSampleThreshold=true (as chexploration does on its test"
          + " set; recorded in _MANIFEST.json and notes.csv)");
    }
  }

  /**
   * Max-F1 thresholds of the validation file, by label ({@link ValidationThresholds}, in a pipeline of
   * their own: a bootstrap needs its thresholds when it is built); only the thresholds, one number per
   * label, come back to the client.
   */
  private static Map<String, Double> maxF1Thresholds(MetricsOptions options, ReadScoredRows readValidation,
      List<String> labels, String validation, StageOutput out) {
    String file = out.prefix("_validation_thresholds.bin");
    Pipeline p = Pipeline.create(options);
    p.apply("ReadValidation", readValidation)
        .apply("ValidationThresholds", ValidationThresholds.maxF1(labels)
            .withKeyShards(Spread.buckets(options, SubgroupMetrics.DEFAULT_KEY_SHARDS)))
        .apply("CollectThresholds", CollectToFile.to(file));
    PipelineRuns.runToEnd(p);
    Map<String, Double> byLabel = new LinkedHashMap<>();
    try {
      CollectToFile.read(file, KvCoder.of(StringUtf8Coder.of(), DoubleCoder.of()))
          .forEach(kv -> byLabel.put(kv.getKey(), kv.getValue()));
      Resources.delete(Resources.file(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the validation thresholds: " + e.getMessage(), e);
    }
    if (byLabel.isEmpty()) {
      throw new IllegalArgumentException("--thresholdRule=maxf1:" + validation + ": no rows");
    }
    Map<String, Double> ordered = new LinkedHashMap<>(); // in label order, as people read them
    for (String label : labels) {
      double t = byLabel.get(label);
      if (Double.isNaN(t)) {
        throw new IllegalArgumentException("--thresholdRule=maxf1:" + validation + ": label " + label
            + " has no positives in the validation file, so no max-F1 threshold exists");
      }
      ordered.put(label, t);
    }
    return ordered;
  }

}
