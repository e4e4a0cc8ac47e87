package org.chexaudit.transforms.metrics;

import static org.chexaudit.core.Checks.checkArgument;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.chexaudit.transforms.coders.JavaSerializationCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.chexaudit.core.stats.BootstrapInterval;
import org.chexaudit.core.stats.ClusterResample;
import org.chexaudit.core.stats.FixedThresholdRule;
import org.chexaudit.core.stats.GapRules;
import org.chexaudit.core.stats.Grouping;
import org.chexaudit.core.stats.ResampleScheme;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.core.stats.SubgroupEvaluator;
import org.chexaudit.core.stats.SubgroupKey;
import org.chexaudit.core.stats.ThresholdRule;
import org.chexaudit.core.stats.ThresholdScope;
import org.chexaudit.schemas.IntervalMetric;
import org.chexaudit.schemas.MetricInterval;
import org.chexaudit.transforms.coders.DoubleArrayCoder;
import org.chexaudit.transforms.coders.ScoredRowCoder;

/**
 * Percentile bootstrap intervals of AUC, TPR, FPR and TPR gap for every label, the whole set and
 * every subgroup, as chexploration's {@code results_disease_detection.py}: the threshold is
 * re-chosen by the rule in every replicate (on each group's own replicate sample with
 * {@link ThresholdScope#PER_GROUP}). Replicate r draws from streams derived from (seed, r) alone, so
 * the intervals are identical on every runner and parallelism.
 *
 * <p>Image-level replicates (the default) are stratified by each label's own 0/1 target; with
 * {@link #withStrata} by one class column (the original stratifies SPLIT-race on the 3-class race
 * target). They are drawn where the rows lie ({@link BlockBootstrap}): each label's rows in blocks of
 * one score segment (a tie larger than a block split by row into several), each replicate's draws
 * allocated to the blocks and drawn within them, and each
 * replicate's curves read segment by segment, so no worker holds more than a block and the sample is
 * never gathered. Class counts are kept exactly, as {@code sklearn.utils.resample(stratify=...)}; the
 * draws differ from numpy's and from a one-step draw, the distribution does not. Labels are drawn
 * separately (intervals are per label, so sharing a draw across labels would not change them).
 *
 * <p>Patient-level replicates ({@link Unit#PATIENT}) draw patients with replacement; a patient's rows
 * lie in many segments, so each label's sample is gathered on one worker and its replicates evaluated
 * in {@value #CHUNKS} chunks: this unit is bounded by one worker's memory.
 *
 * <p>Output: one {@link MetricInterval} per (label, grouping, group, metric).
 */
public final class Bootstrap extends PTransform<PCollection<ScoredRow>, PCollection<MetricInterval>> {
  /** Work items per label: replicates are evaluated in this many independent chunks. */
  static final int CHUNKS = 32;
  private static final IntervalMetric[] METRICS =
      {IntervalMetric.AUC, IntervalMetric.TPR, IntervalMetric.FPR, IntervalMetric.TPR_GAP};

  /**
   * Rows per block of image-level replicates: a block (about 2.5 MB as a record) and its replicate weights
   * are what one worker holds at a time.
   */
  public static final long DEFAULT_BLOCK_ROWS = 1 << 16;

  /** What a replicate resamples. */
  public enum Unit { IMAGE, PATIENT }

  private final List<String> labels;
  private final List<String> attributes;
  private final List<String> groupings;
  private final ThresholdRule rule;
  private final ThresholdScope scope;
  private final GapRules gapRules;
  private final int replicates;
  private final long seed;
  private final Unit unit;
  private final String strata;
  private final double level;
  private final Map<String, Double> fixedThresholds;
  private final long segmentTarget;

  private Bootstrap(List<String> labels, List<String> attributes, List<String> groupings, ThresholdRule rule,
      ThresholdScope scope, GapRules gapRules, int replicates, long seed, Unit unit, String strata, double level,
      Map<String, Double> fixedThresholds, long segmentTarget) {
    this.labels = labels;
    this.attributes = attributes;
    this.groupings = groupings;
    this.rule = rule;
    this.scope = scope;
    this.gapRules = gapRules;
    this.replicates = replicates;
    this.seed = seed;
    this.unit = unit;
    this.strata = strata;
    this.level = level;
    this.fixedThresholds = fixedThresholds;
    this.segmentTarget = segmentTarget;
  }

  /**
   * 2000 image-level replicates stratified by each label's target, 95 % intervals, seed 42, FPR-0.2
   * rule on the whole set, CheXclusion's gap rules.
   */
  public static Bootstrap of(List<String> labels, List<String> attributes, List<String> groupings) {
    checkArgument(labels != null && !labels.isEmpty(), "Bootstrap: labels must not be empty");
    Grouping.parseAll(groupings, attributes);
    return new Bootstrap(List.copyOf(labels), List.copyOf(attributes), List.copyOf(groupings),
        ThresholdRule.parse("fpr:0.2"), ThresholdScope.GLOBAL, GapRules.CHEXCLUSION, 2000, 42L, Unit.IMAGE, null,
        0.95, Map.of(), DEFAULT_BLOCK_ROWS);
  }

  public Bootstrap withRule(ThresholdRule rule) {
    checkArgument(rule != null, "Bootstrap: rule can not be null");
    return new Bootstrap(labels, attributes, groupings, rule, scope, gapRules, replicates, seed, unit, strata, level,
        fixedThresholds, segmentTarget);
  }

  /** Whether the rule is re-applied on the whole replicate (default) or on each group's own rows. */
  public Bootstrap withScope(ThresholdScope scope) {
    checkArgument(scope != null, "Bootstrap: scope can not be null");
    return new Bootstrap(labels, attributes, groupings, rule, scope, gapRules, replicates, seed, unit, strata, level,
        fixedThresholds, segmentTarget);
  }

  /** The TPR-gap rule of each attribute. */
  public Bootstrap withGapRules(GapRules gapRules) {
    checkArgument(gapRules != null, "Bootstrap: gapRules can not be null");
    return new Bootstrap(labels, attributes, groupings, rule, scope, gapRules, replicates, seed, unit, strata, level,
        fixedThresholds, segmentTarget);
  }

  public Bootstrap withReplicates(int replicates) {
    checkArgument(replicates >= 1, "Bootstrap: replicates must be >= 1, got %s", replicates);
    return new Bootstrap(labels, attributes, groupings, rule, scope, gapRules, replicates, seed, unit, strata, level,
        fixedThresholds, segmentTarget);
  }

  public Bootstrap withSeed(long seed) {
    return new Bootstrap(labels, attributes, groupings, rule, scope, gapRules, replicates, seed, unit, strata, level,
        fixedThresholds, segmentTarget);
  }

  public Bootstrap withUnit(Unit unit) {
    checkArgument(unit != null, "Bootstrap: unit can not be null");
    checkArgument(unit == Unit.IMAGE || strata == null, "Bootstrap: strata %s need unit IMAGE, got %s", strata, unit);
    return new Bootstrap(labels, attributes, groupings, rule, scope, gapRules, replicates, seed, unit, strata, level,
        fixedThresholds, segmentTarget);
  }

  /**
   * Stratify image-level replicates on the row attribute {@code attribute} (a class column such as a
   * multi-class target) instead of each label's own target; all labels then share each draw.
   */
  public Bootstrap withStrata(String attribute) {
    checkArgument(attribute != null && attributes.contains(attribute),
        "Bootstrap: strata must be one of the row attributes %s, got %s", attributes, attribute);
    checkArgument(unit == Unit.IMAGE, "Bootstrap: strata need unit IMAGE, got %s", unit);
    return new Bootstrap(labels, attributes, groupings, rule, scope, gapRules, replicates, seed, unit, attribute,
        level, fixedThresholds, segmentTarget);
  }

  public Bootstrap withLevel(double level) {
    checkArgument(level > 0 && level < 1, "Bootstrap: level must be in (0, 1), got %s", level);
    return new Bootstrap(labels, attributes, groupings, rule, scope, gapRules, replicates, seed, unit, strata, level,
        fixedThresholds, segmentTarget);
  }

  /** Per-label thresholds chosen elsewhere (e.g. on a validation file): kept fixed in every replicate. */
  public Bootstrap withThresholds(Map<String, Double> thresholds) {
    checkArgument(thresholds != null && thresholds.keySet().containsAll(labels),
        "Bootstrap: thresholds must cover every label %s, got %s", labels, thresholds);
    return new Bootstrap(labels, attributes, groupings, rule, scope, gapRules, replicates, seed, unit, strata, level,
        Map.copyOf(thresholds), segmentTarget);
  }

  /**
   * Rows per block of image-level replicates (default {@value #DEFAULT_BLOCK_ROWS}): what one worker holds.
   * The draws depend on it (they are made block by block), their distribution does not.
   */
  public Bootstrap withSegmentTarget(long rows) {
    checkArgument(rows >= 1, "Bootstrap: segmentTarget must be >= 1, got %s", rows);
    return new Bootstrap(labels, attributes, groupings, rule, scope, gapRules, replicates, seed, unit, strata, level,
        fixedThresholds, rows);
  }

  @Override
  public PCollection<MetricInterval> expand(PCollection<ScoredRow> rows) {
    if (unit == Unit.IMAGE) {
      return rows.apply("Blocks", new BlockBootstrap(labels, attributes, groupings, rule, scope, gapRules, replicates,
          seed, strata, level, fixedThresholds, segmentTarget));
    }
    return gathered(rows);
  }

  /** Patient-level replicates: a patient's rows span score segments, so each label's sample is gathered. */
  private PCollection<MetricInterval> gathered(PCollection<ScoredRow> rows) {
    int chunks = Math.min(CHUNKS, replicates);
    PCollection<KV<String, Job>> jobs = rows
        .apply("KeyByLabel", ParDo.of(new KeyByLabelFn(labels)))
        .setCoder(KvCoder.of(VarIntCoder.of(), ScoredRowCoder.of()))
        .apply("GatherLabel", GroupByKey.create())
        .apply("BuildJobs", ParDo.of(new BuildJobFn(this)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), JavaSerializationCoder.of(Job.class)));
    PCollectionView<Map<String, Job>> jobView = jobs.apply("JobView", View.asMap());
    return jobs
        .apply("Chunks", ParDo.of(new ChunkFn(chunks)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), KvCoder.of(VarIntCoder.of(), JavaSerializationCoder.of(Job.class))))
        .apply("Spread", Reshuffle.viaRandomKey())
        .apply("Evaluate", ParDo.of(new EvaluateFn(replicates, chunks, seed)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), KvCoder.of(VarIntCoder.of(), ListCoder.of(DoubleArrayCoder.of()))))
        .apply("GatherReplicates", GroupByKey.create())
        .apply("Percentiles", ParDo.of(new PercentileFn(jobView, replicates, chunks, level)).withSideInputs(jobView))
        .setCoder(AvroCoder.of(MetricInterval.class));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("replicates", replicates)).add(DisplayData.item("seed", seed))
        .add(DisplayData.item("unit", unit.name())).add(DisplayData.item("rule", rule.describe()))
        .add(DisplayData.item("scope", scope.name())).add(DisplayData.item("gapRules", gapRules.toString()))
        .add(DisplayData.item("strata", strata == null ? "each label's target" : strata))
        .add(DisplayData.item("level", level));
  }

  /** One label's evaluator, resampling scheme, and subgroup keys (parallel to the evaluator's groups). */
  static final class Job implements Serializable {
    private static final long serialVersionUID = 1L;
    final SubgroupEvaluator evaluator;
    final ResampleScheme scheme;
    final List<SubgroupKey> keys;

    Job(SubgroupEvaluator evaluator, ResampleScheme scheme, List<SubgroupKey> keys) {
      this.evaluator = evaluator;
      this.scheme = scheme;
      this.keys = keys;
    }
  }

  private static final class KeyByLabelFn extends DoFn<ScoredRow, KV<Integer, ScoredRow>> {
    private final List<String> labels;

    KeyByLabelFn(List<String> labels) {
      this.labels = labels;
    }

    @ProcessElement
    public void process(@Element ScoredRow row, OutputReceiver<KV<Integer, ScoredRow>> out) {
      for (int l = 0; l < labels.size(); l++) {
        out.output(KV.of(l, row));
      }
    }
  }

  private static final class BuildJobFn extends DoFn<KV<Integer, Iterable<ScoredRow>>, KV<String, Job>> {
    private final Bootstrap spec;

    BuildJobFn(Bootstrap spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<ScoredRow>> in, OutputReceiver<KV<String, Job>> out) {
      int l = in.getKey();
      String label = spec.labels.get(l);
      List<ScoredRow> rows = new ArrayList<>();
      in.getValue().forEach(rows::add);
      // a fixed row order makes replicate r the same draw whatever order the shuffle delivered
      rows.sort(Comparator.comparing(ScoredRow::id));
      int n = rows.size();
      int[] y = new int[n];
      double[] s = new double[n];
      Map<SubgroupKey, List<Integer>> members = new LinkedHashMap<>();
      List<Grouping> groupings = Grouping.parseAll(spec.groupings, spec.attributes);
      for (int i = 0; i < n; i++) {
        ScoredRow r = rows.get(i);
        y[i] = r.target(l);
        s[i] = r.score(l);
        for (Grouping g : groupings) {
          String group = g.groupOf(r);
          if (group != null) {
            members.computeIfAbsent(new SubgroupKey(label, g.name(), group), k -> new ArrayList<>()).add(i);
          }
        }
      }
      List<SubgroupEvaluator.Group> groups = new ArrayList<>();
      List<SubgroupKey> keys = new ArrayList<>();
      keys.add(SubgroupKey.whole(label));
      members.forEach((key, v) -> {
        int[] rowsOfGroup = v.stream().mapToInt(Integer::intValue).toArray();
        groups.add(new SubgroupEvaluator.Group(key.grouping(), key.group(), rowsOfGroup));
        keys.add(key);
      });
      ThresholdRule rule = spec.fixedThresholds.containsKey(label)
          ? FixedThresholdRule.of(spec.fixedThresholds.get(label)) : spec.rule;
      SubgroupEvaluator evaluator = SubgroupEvaluator.of(y, s, groups, rule)
          .withScope(spec.fixedThresholds.containsKey(label) ? ThresholdScope.GLOBAL : spec.scope)
          .withGapRules(spec.gapRules);
      out.output(KV.of(label, new Job(evaluator, scheme(rows), keys)));
    }

    /** Patients drawn with replacement (the gathered path serves only {@link Unit#PATIENT}). */
    private static ResampleScheme scheme(List<ScoredRow> rows) {
      String[] patient = new String[rows.size()];
      for (int i = 0; i < patient.length; i++) {
        patient[i] = rows.get(i).patient();
        if (patient[i] == null) {
          throw new IllegalArgumentException("Bootstrap unit PATIENT: row " + rows.get(i).id()
              + " has no patient id");
        }
      }
      return ClusterResample.of(patient);
    }
  }

  /** Emits the label's job once per chunk; chunk c evaluates replicates c+1, c+1+chunks, ... */
  private static final class ChunkFn extends DoFn<KV<String, Job>, KV<String, KV<Integer, Job>>> {
    private final int chunks;

    ChunkFn(int chunks) {
      this.chunks = chunks;
    }

    @ProcessElement
    public void process(@Element KV<String, Job> job, OutputReceiver<KV<String, KV<Integer, Job>>> out) {
      for (int c = 0; c < chunks; c++) {
        out.output(KV.of(job.getKey(), KV.of(c, job.getValue())));
      }
    }
  }

  /**
   * Evaluates one chunk's replicates and emits them as one element (replicate {@code chunk + 1 + m *
   * chunks} at position m): one element per replicate, each a list of boxed doubles, cost the Direct
   * runner more than the arithmetic.
   */
  private static final class EvaluateFn
      extends DoFn<KV<String, KV<Integer, Job>>, KV<String, KV<Integer, List<double[]>>>> {
    private final int replicates;
    private final int chunks;
    private final long seed;

    EvaluateFn(int replicates, int chunks, long seed) {
      this.replicates = replicates;
      this.chunks = chunks;
      this.seed = seed;
    }

    @ProcessElement
    public void process(@Element KV<String, KV<Integer, Job>> e,
        OutputReceiver<KV<String, KV<Integer, List<double[]>>>> out) {
      Job job = e.getValue().getValue();
      int chunk = e.getValue().getKey();
      List<double[]> values = new ArrayList<>();
      for (int r = chunk + 1; r <= replicates; r += chunks) {
        values.add(job.evaluator.evaluate(job.scheme.weights(seed, r)));
      }
      out.output(KV.of(e.getKey(), KV.of(chunk, values)));
    }
  }

  private static final class PercentileFn
      extends DoFn<KV<String, Iterable<KV<Integer, List<double[]>>>>, MetricInterval> {
    private final PCollectionView<Map<String, Job>> jobs;
    private final int replicates;
    private final int chunks;
    private final double level;

    PercentileFn(PCollectionView<Map<String, Job>> jobs, int replicates, int chunks, double level) {
      this.jobs = jobs;
      this.replicates = replicates;
      this.chunks = chunks;
      this.level = level;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      Job job = c.sideInput(jobs).get(c.element().getKey());
      // replicate r at position r - 1, whatever order the chunks arrive in
      double[][] byReplicate = new double[replicates][];
      for (KV<Integer, List<double[]>> chunk : c.element().getValue()) {
        List<double[]> values = chunk.getValue();
        for (int m = 0; m < values.size(); m++) {
          byReplicate[chunk.getKey() + m * chunks] = values.get(m);
        }
      }
      double[][] bounds = BootstrapInterval.percentile(Arrays.asList(byReplicate), level);
      double[] estimate = job.evaluator.evaluate(null);
      for (int g = -1; g < job.keys.size() - 1; g++) {
        SubgroupKey key = job.keys.get(g + 1);
        for (int m = 0; m < METRICS.length; m++) {
          if (key.isWhole() && METRICS[m] == IntervalMetric.TPR_GAP) {
            continue; // the whole set has no gap
          }
          int i = SubgroupEvaluator.index(g, m);
          c.output(MetricInterval.newBuilder().setLabel(key.label()).setAttribute(key.grouping())
              .setGroup(key.group()).setMetric(METRICS[m]).setEstimate(MetricRecords.orNull(estimate[i]))
              .setLower(MetricRecords.orNull(bounds[i][0])).setUpper(MetricRecords.orNull(bounds[i][1]))
              .setLevel(level).setReplicates(replicates).build());
        }
      }
    }
  }
}
