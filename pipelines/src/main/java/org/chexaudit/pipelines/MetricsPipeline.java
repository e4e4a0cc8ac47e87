package org.chexaudit.pipelines;

import org.chexaudit.pipelines.cli.Cli;
import org.chexaudit.pipelines.GroupThresholdTable;
import org.chexaudit.pipelines.MetricsReport;
import org.chexaudit.pipelines.stage.StageOutput;

import org.chexaudit.transforms.coders.ScoredRowCoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.chexaudit.pipelines.options.MetricsOptions;
import org.chexaudit.schemas.SubgroupMetric;
import org.chexaudit.schemas.TprGap;
import org.chexaudit.transforms.metrics.Bootstrap;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.transforms.metrics.SubgroupMetrics;
import org.chexaudit.transforms.metrics.TprDisparity;
import org.chexaudit.core.stats.BinaryCurve;
import org.chexaudit.core.stats.MaxF1Rule;
import org.chexaudit.core.stats.ThresholdRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.chexaudit.pipelines.options.SeedOption;
import org.chexaudit.pipelines.stage.OptionsManifest;

/**
 * The {@code metrics} command: per-subgroup AUC, TPR, FPR at one threshold per label, TPR
 * disparity and bootstrap intervals for any model's predictions. Writes {@code metrics.csv},
 * {@code disparity.csv}, {@code calibration.csv}, the same as Avro, and ROC / TPR-gap PNGs.
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
    List<String> attributes = List.copyOf(attributeSet);
    Bootstrap.Unit unit = options.getBootstrapUnit().unit();
    if (unit == Bootstrap.Unit.PATIENT && options.getPatientColumn() == null) {
      throw new IllegalArgumentException("--bootstrapUnit=patient needs --patientColumn");
    }
    int bootstrap = options.getBootstrap() == null ? 2000 : options.getBootstrap();
    if (bootstrap < 0) {
      throw new IllegalArgumentException("--bootstrap must be >= 0, got " + bootstrap);
    }
    Path predictions = Paths.get(options.getPredictions());
    Path groupsFile = options.getGroupsFile() == null ? null : Paths.get(options.getGroupsFile());
    ScoredRowLoader loader = new ScoredRowLoader(scores, targets, attributes, options.getIdColumn(),
        options.getPatientColumn());
    List<ScoredRow> rows = loader.load(predictions, groupsFile);

    SubgroupMetrics metrics = SubgroupMetrics.of(labels, attributes, groupings)
        .withMinGroupSize(options.getMinGroupSize()).withCalibrationBins(options.getCalibrationBins());
    String rule = options.getThresholdRule().trim();
    Path validation = null;
    if (rule.startsWith("maxf1:")) {
      validation = Paths.get(rule.substring("maxf1:".length()));
      metrics = metrics.withThresholds(maxF1Thresholds(scores, labels, targets, options, validation));
    } else {
      metrics = metrics.withRule(ThresholdRule.parse(rule));
    }

    StageOutput out = StageOutput.begin(COMMAND, Paths.get(options.getOutput()), options.getOverwrite())
        .withInput("predictions", predictions);
    if (groupsFile != null) {
      out.withInput("groupsFile", groupsFile);
    }
    if (validation != null) {
      out.withInput("validation", validation);
    }
    try {
      long start = System.nanoTime();
      Pipeline p = Pipeline.create(options);
      PCollection<ScoredRow> input = p.apply("Predictions", Create.of(rows).withCoder(ScoredRowCoder.of()));
      PCollection<KV<List<String>, List<Double>>> intervals = null;
      if (bootstrap > 0) {
        intervals = input.apply("Bootstrap", metrics.bootstrap().withReplicates(bootstrap)
            .withSeed(SeedOption.seedOr(options, DEFAULT_SEED)).withUnit(unit));
      }
      PCollection<SubgroupMetric> perGroup =
          input.apply("SubgroupMetrics", intervals == null ? metrics : metrics.withIntervals(intervals));
      TprDisparity disparity = intervals == null ? TprDisparity.create() : TprDisparity.create().withIntervals(intervals);
      PCollection<TprGap> gaps = perGroup.apply("TprDisparity", disparity);
      Path tmp = out.tmp();
      perGroup.apply("WriteMetricsAvro", AvroIO.write(SubgroupMetric.class)
          .to(tmp.resolve("metrics").toString()).withSuffix(".avro").withoutSharding());
      gaps.apply("WriteDisparityAvro", AvroIO.write(TprGap.class)
          .to(tmp.resolve("disparity").toString()).withSuffix(".avro").withoutSharding());
      PipelineResult result = p.run();
      result.waitUntilFinish();
      MetricsReport report = MetricsReport.read(tmp, intervals != null);
      report.writeCsv(tmp);
      report.writePlots(tmp);
      if (groupThresholds != null) {
        if (validation != null) {
          throw new IllegalArgumentException("--groupThresholds needs a rule chosen on the audited rows"
              + " (fpr:X, youden, value:X), not --thresholdRule=" + rule);
        }
        try {
          GroupThresholdTable.write(tmp.resolve("group_thresholds.csv"), GroupThresholdTable.rows(rows, labels,
              groupThresholds[0], attributes.indexOf(groupThresholds[0]), groupThresholds[1],
              attributes.indexOf(groupThresholds[1]), ThresholdRule.parse(rule)));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write group_thresholds.csv", e);
        }
      }
      Map<String, Object> opts = OptionsManifest.of(options, MetricsOptions.class);
      opts.put("labelNames", labels);
      opts.put("groupColumns", groupings);
      opts.put("bootstrap", bootstrap);
      opts.put("seed", SeedOption.seedOr(options, DEFAULT_SEED));
      Map<String, Object> counts = new LinkedHashMap<>();
      counts.put("rows", rows.size());
      counts.put("metric_rows", report.metrics().size());
      counts.put("disparity_rows", report.gaps().size());
      Path done = out.commit(opts, counts);
      LOG.info(String.format("metrics: %d rows, %d labels, %d metric rows in %.1f s -> %s", rows.size(), scores.size(),
          report.metrics().size(), (System.nanoTime() - start) / 1e9, done));
      return result;
    } catch (RuntimeException e) {
      out.abort();
      throw e;
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

  private static Map<String, Double> maxF1Thresholds(List<String> scores, List<String> labels, List<String> targets,
      MetricsOptions options, Path validation) {
    List<ScoredRow> val = new ScoredRowLoader(scores, targets, List.of(), options.getIdColumn(), null)
        .load(validation, null);
    Map<String, Double> thresholds = new LinkedHashMap<>();
    for (int l = 0; l < scores.size(); l++) {
      int[] y = new int[val.size()];
      double[] s = new double[val.size()];
      for (int i = 0; i < y.length; i++) {
        y[i] = val.get(i).target(l);
        s[i] = val.get(i).score(l);
      }
      thresholds.put(labels.get(l), MaxF1Rule.create().choose(BinaryCurve.of(y, s)));
    }
    return thresholds;
  }

}
