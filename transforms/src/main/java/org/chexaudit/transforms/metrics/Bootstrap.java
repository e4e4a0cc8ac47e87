package org.chexaudit.transforms.metrics;

import org.chexaudit.core.stats.ScoredRow;

import org.chexaudit.transforms.coders.ScoredRowCoder;

import org.chexaudit.core.stats.Grouping;
import org.chexaudit.transforms.coders.DoubleArrayCoder;

import static org.chexaudit.core.Checks.checkArgument;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
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
import org.chexaudit.core.stats.ResampleScheme;
import org.chexaudit.core.stats.StratifiedResample;
import org.chexaudit.core.stats.SubgroupEvaluator;
import org.chexaudit.core.stats.ThresholdRule;

/**
 * Percentile bootstrap intervals of AUC, TPR, FPR and TPR gap for every label, the whole set and
 * every subgroup, as chexploration's {@code results_disease_detection.py}: the threshold is
 * re-chosen by the rule in every replicate. Replicates are separate elements spread over workers;
 * replicate r draws from a stream derived from (seed, r) alone, so the intervals are identical on
 * every runner and parallelism. Replicates are evaluated in {@value #CHUNKS} chunks per label so
 * each worker receives the label's sample once per chunk, not once per replicate.
 *
 * <p>Output: {@code [label, grouping, group] -> [aucLo, aucHi, tprLo, tprHi, fprLo, fprHi, gapLo,
 * gapHi]}. Each label's rows are gathered on one worker (the replicate needs the whole sample).
 */
public final class Bootstrap
    extends PTransform<PCollection<ScoredRow>, PCollection<KV<List<String>, List<Double>>>> {
  /** Work items per label: replicates are evaluated in this many independent chunks. */
  static final int CHUNKS = 32;

  /** What a replicate resamples. */
  public enum Unit { IMAGE, PATIENT }

  private final List<String> labels;
  private final List<String> attributes;
  private final List<String> groupings;
  private final ThresholdRule rule;
  private final int replicates;
  private final long seed;
  private final Unit unit;
  private final double level;
  private final Map<String, Double> fixedThresholds;

  private Bootstrap(List<String> labels, List<String> attributes, List<String> groupings, ThresholdRule rule,
      int replicates, long seed, Unit unit, double level) {
    this(labels, attributes, groupings, rule, replicates, seed, unit, level, Map.of());
  }

  private Bootstrap(List<String> labels, List<String> attributes, List<String> groupings, ThresholdRule rule,
      int replicates, long seed, Unit unit, double level, Map<String, Double> fixedThresholds) {
    this.fixedThresholds = fixedThresholds;
    this.labels = labels;
    this.attributes = attributes;
    this.groupings = groupings;
    this.rule = rule;
    this.replicates = replicates;
    this.seed = seed;
    this.unit = unit;
    this.level = level;
  }

  /** 2000 image-level replicates stratified by target, 95 % intervals, seed 42, FPR-0.2 rule. */
  public static Bootstrap of(List<String> labels, List<String> attributes, List<String> groupings) {
    checkArgument(labels != null && !labels.isEmpty(), "Bootstrap: labels must not be empty");
    Grouping.parseAll(groupings, attributes);
    return new Bootstrap(List.copyOf(labels), List.copyOf(attributes), List.copyOf(groupings),
        ThresholdRule.parse("fpr:0.2"), 2000, 42L, Unit.IMAGE, 0.95);
  }

  public Bootstrap withRule(ThresholdRule rule) {
    checkArgument(rule != null, "Bootstrap: rule can not be null");
    return new Bootstrap(labels, attributes, groupings, rule, replicates, seed, unit, level, fixedThresholds);
  }

  public Bootstrap withReplicates(int replicates) {
    checkArgument(replicates >= 1, "Bootstrap: replicates must be >= 1, got %s", replicates);
    return new Bootstrap(labels, attributes, groupings, rule, replicates, seed, unit, level, fixedThresholds);
  }

  public Bootstrap withSeed(long seed) {
    return new Bootstrap(labels, attributes, groupings, rule, replicates, seed, unit, level, fixedThresholds);
  }

  public Bootstrap withUnit(Unit unit) {
    checkArgument(unit != null, "Bootstrap: unit can not be null");
    return new Bootstrap(labels, attributes, groupings, rule, replicates, seed, unit, level, fixedThresholds);
  }

  public Bootstrap withLevel(double level) {
    checkArgument(level > 0 && level < 1, "Bootstrap: level must be in (0, 1), got %s", level);
    return new Bootstrap(labels, attributes, groupings, rule, replicates, seed, unit, level, fixedThresholds);
  }

  /** Per-label thresholds chosen elsewhere (e.g. on a validation file): kept fixed in every replicate. */
  public Bootstrap withThresholds(Map<String, Double> thresholds) {
    checkArgument(thresholds != null && thresholds.keySet().containsAll(labels),
        "Bootstrap: thresholds must cover every label %s, got %s", labels, thresholds);
    return new Bootstrap(labels, attributes, groupings, rule, replicates, seed, unit, level, Map.copyOf(thresholds));
  }

  @Override
  public PCollection<KV<List<String>, List<Double>>> expand(PCollection<ScoredRow> rows) {
    PCollection<KV<String, Job>> jobs = rows
        .apply("KeyByLabel", ParDo.of(new KeyByLabelFn(labels)))
        .setCoder(KvCoder.of(VarIntCoder.of(), ScoredRowCoder.of()))
        .apply("GatherLabel", GroupByKey.create())
        .apply("BuildJobs", ParDo.of(new BuildJobFn(labels, Grouping.parseAll(groupings, attributes), rule, fixedThresholds, unit)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(Job.class)));
    PCollectionView<Map<String, Job>> jobView = jobs.apply("JobView", View.asMap());
    return jobs
        .apply("Chunks", ParDo.of(new ChunkFn(Math.min(CHUNKS, replicates))))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), KvCoder.of(VarIntCoder.of(), SerializableCoder.of(Job.class))))
        .apply("Spread", Reshuffle.viaRandomKey())
        .apply("Evaluate", ParDo.of(new EvaluateFn(replicates, Math.min(CHUNKS, replicates), seed)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), KvCoder.of(VarIntCoder.of(), ListCoder.of(DoubleArrayCoder.of()))))
        .apply("GatherReplicates", GroupByKey.create())
        .apply("Percentiles", ParDo.of(new PercentileFn(jobView, replicates, Math.min(CHUNKS, replicates), level))
            .withSideInputs(jobView))
        .setCoder(KvCoder.of(ListCoder.of(StringUtf8Coder.of()), ListCoder.of(DoubleCoder.of())));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("replicates", replicates)).add(DisplayData.item("seed", seed))
        .add(DisplayData.item("unit", unit.name())).add(DisplayData.item("rule", rule.describe()))
        .add(DisplayData.item("level", level));
  }

  /** One label's evaluator, resampling scheme, and subgroup keys (parallel to the evaluator's groups). */
  static final class Job implements Serializable {
    private static final long serialVersionUID = 1L;
    final SubgroupEvaluator evaluator;
    final ResampleScheme scheme;
    final List<List<String>> keys;

    Job(SubgroupEvaluator evaluator, ResampleScheme scheme, List<List<String>> keys) {
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
    private final List<String> labels;
    private final List<Grouping> groupings;
    private final ThresholdRule rule;
    private final Map<String, Double> fixed;
    private final Unit unit;

    BuildJobFn(List<String> labels, List<Grouping> groupings, ThresholdRule rule, Map<String, Double> fixed, Unit unit) {
      this.fixed = fixed;
      this.labels = labels;
      this.groupings = groupings;
      this.rule = rule;
      this.unit = unit;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<ScoredRow>> in, OutputReceiver<KV<String, Job>> out) {
      int l = in.getKey();
      List<ScoredRow> rows = new ArrayList<>();
      in.getValue().forEach(rows::add);
      // a fixed row order makes replicate r the same draw whatever order the shuffle delivered
      rows.sort(Comparator.comparing(ScoredRow::id));
      int n = rows.size();
      int[] y = new int[n];
      double[] s = new double[n];
      String[] patient = new String[n];
      Map<String, List<Integer>> members = new LinkedHashMap<>();
      Map<String, String> attributeOf = new LinkedHashMap<>();
      Map<String, List<String>> keyOf = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        ScoredRow r = rows.get(i);
        y[i] = r.target(l);
        s[i] = r.score(l);
        patient[i] = r.patient();
        for (Grouping g : groupings) {
          String group = g.groupOf(r);
          if (group != null) {
            String name = g.name() + "\u001f" + group;
            members.computeIfAbsent(name, k -> new ArrayList<>()).add(i);
            attributeOf.put(name, g.name());
            keyOf.put(name, List.of(labels.get(l), g.name(), group));
          }
        }
      }
      Map<String, int[]> groupRows = new LinkedHashMap<>();
      members.forEach((k, v) -> groupRows.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
      SubgroupEvaluator evaluator = SubgroupEvaluator.of(y, s, groupRows, attributeOf,
          fixed.containsKey(labels.get(l)) ? FixedThresholdRule.of(fixed.get(labels.get(l))) : rule);
      ResampleScheme scheme;
      if (unit == Unit.PATIENT) {
        for (int i = 0; i < n; i++) {
          if (patient[i] == null) {
            throw new IllegalArgumentException("Bootstrap unit PATIENT: row " + rows.get(i).id() + " has no patient id");
          }
        }
        scheme = ClusterResample.of(patient);
      } else {
        scheme = StratifiedResample.of(y);
      }
      List<List<String>> keys = new ArrayList<>();
      keys.add(List.of(labels.get(l), PartialHistogramsFn.ALL, PartialHistogramsFn.ALL));
      for (String name : evaluator.groups()) {
        keys.add(keyOf.get(name));
      }
      out.output(KV.of(labels.get(l), new Job(evaluator, scheme, keys)));
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
      extends DoFn<KV<String, Iterable<KV<Integer, List<double[]>>>>, KV<List<String>, List<Double>>> {
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
      for (int g = -1; g < job.keys.size() - 1; g++) {
        List<Double> out = new ArrayList<>();
        for (int m = 0; m < SubgroupEvaluator.METRICS.length; m++) {
          int i = SubgroupEvaluator.index(g, m);
          out.add(bounds[i][0]);
          out.add(bounds[i][1]);
        }
        c.output(KV.of(job.keys.get(g + 1), out));
      }
    }
  }
}
