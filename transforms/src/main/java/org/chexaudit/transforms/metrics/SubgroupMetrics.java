package org.chexaudit.transforms.metrics;

import static org.chexaudit.core.Checks.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.chexaudit.core.stats.Calibration;
import org.chexaudit.core.stats.Grouping;
import org.chexaudit.core.stats.ScoreHistogram;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.core.stats.SubgroupKey;
import org.chexaudit.core.stats.ThresholdRule;
import org.chexaudit.core.stats.ThresholdScope;
import org.chexaudit.schemas.MetricInterval;
import org.chexaudit.schemas.SubgroupMetric;
import org.chexaudit.transforms.coders.ScoreHistogramCoder;
import org.chexaudit.transforms.coders.SubgroupKeyCoder;

/**
 * Per-label, per-subgroup performance of scored rows: n, positives, negatives, AUC, average
 * precision, TPR, FPR, precision, Youden's J and calibration, for the whole set ({@code all/all}),
 * every attribute and every intersection ({@code sex*race}).
 *
 * <p>Each {@link SubgroupKey} is one key whose exact score histogram is combined across workers.
 * With {@link ThresholdScope#GLOBAL} (default) the label's threshold is chosen by the rule on the
 * whole set's histogram (so, e.g., the FPR-0.2 point of the full ROC) and applied to every
 * subgroup; with {@link ThresholdScope#PER_GROUP} every subgroup gets the rule's threshold on its
 * own histogram. Groups smaller than {@code minGroupSize} get only their sizes and the note
 * "insufficient data". With {@link #withBootstrap} or {@link #withIntervals} the rows also get
 * percentile intervals from {@link Bootstrap}. Immutable: every {@code with} returns a copy.
 */
public final class SubgroupMetrics extends PTransform<PCollection<ScoredRow>, PCollection<SubgroupMetric>> {
  private final List<String> labels;
  private final List<String> attributes;
  private final List<String> groupings;
  private final ThresholdRule rule;
  private final ThresholdScope scope;
  private final Map<String, Double> fixedThresholds;
  private final long minGroupSize;
  private final int calibrationBins;
  private final Bootstrap bootstrap;
  private final PCollection<MetricInterval> intervals;

  private SubgroupMetrics(List<String> labels, List<String> attributes, List<String> groupings,
      ThresholdRule rule, ThresholdScope scope, Map<String, Double> fixedThresholds, long minGroupSize,
      int calibrationBins, Bootstrap bootstrap, PCollection<MetricInterval> intervals) {
    this.labels = labels;
    this.attributes = attributes;
    this.groupings = groupings;
    this.rule = rule;
    this.scope = scope;
    this.fixedThresholds = fixedThresholds;
    this.minGroupSize = minGroupSize;
    this.calibrationBins = calibrationBins;
    this.bootstrap = bootstrap;
    this.intervals = intervals;
  }

  /**
   * Metrics for {@code labels} (the rows' scores/targets by position), with row attribute names
   * {@code attributes} and subgroup specs {@code groupings} (attribute names or {@code a*b}).
   * Defaults: rule {@code fpr:0.2} with global scope, no minimum group size, 10 calibration bins,
   * no intervals.
   */
  public static SubgroupMetrics of(List<String> labels, List<String> attributes, List<String> groupings) {
    checkArgument(labels != null && !labels.isEmpty(), "SubgroupMetrics: labels must not be empty, got %s", labels);
    checkArgument(attributes != null, "SubgroupMetrics: attributes can not be null");
    checkArgument(groupings != null, "SubgroupMetrics: groupings can not be null");
    Grouping.parseAll(groupings, attributes);
    return new SubgroupMetrics(List.copyOf(labels), List.copyOf(attributes), List.copyOf(groupings),
        ThresholdRule.parse("fpr:0.2"), ThresholdScope.GLOBAL, Map.of(), 0, Calibration.DEFAULT_BINS, null, null);
  }

  /** The rule choosing each label's threshold; replaces thresholds given by {@link #withThresholds}. */
  public SubgroupMetrics withRule(ThresholdRule rule) {
    checkArgument(rule != null, "SubgroupMetrics: rule can not be null");
    return new SubgroupMetrics(labels, attributes, groupings, rule, scope, Map.of(), minGroupSize, calibrationBins,
        bootstrap, intervals);
  }

  /** Whether the rule is applied once on the whole set (default) or on each subgroup's own rows. */
  public SubgroupMetrics withScope(ThresholdScope scope) {
    checkArgument(scope != null, "SubgroupMetrics: scope can not be null");
    checkArgument(scope == ThresholdScope.GLOBAL || fixedThresholds.isEmpty(),
        "SubgroupMetrics: scope PER_GROUP needs a rule, not fixed thresholds %s", fixedThresholds);
    return new SubgroupMetrics(labels, attributes, groupings, rule, scope, fixedThresholds, minGroupSize,
        calibrationBins, bootstrap, intervals);
  }

  /** Thresholds chosen elsewhere (e.g. max F1 on a validation file), one per label; NaN predicts none positive. */
  public SubgroupMetrics withThresholds(Map<String, Double> thresholds) {
    checkArgument(thresholds != null && thresholds.keySet().containsAll(labels),
        "SubgroupMetrics: thresholds must cover every label %s, got %s", labels, thresholds);
    checkArgument(scope == ThresholdScope.GLOBAL,
        "SubgroupMetrics: fixed thresholds are per label; scope must be GLOBAL, got %s", scope);
    return new SubgroupMetrics(labels, attributes, groupings, rule, scope, Map.copyOf(thresholds), minGroupSize,
        calibrationBins, bootstrap, intervals);
  }

  public SubgroupMetrics withMinGroupSize(long minGroupSize) {
    checkArgument(minGroupSize >= 0, "SubgroupMetrics: minGroupSize must be >= 0, got %s", minGroupSize);
    return new SubgroupMetrics(labels, attributes, groupings, rule, scope, fixedThresholds, minGroupSize,
        calibrationBins, bootstrap, intervals);
  }

  public SubgroupMetrics withCalibrationBins(int bins) {
    checkArgument(bins >= 1, "SubgroupMetrics: calibrationBins must be >= 1, got %s", bins);
    return new SubgroupMetrics(labels, attributes, groupings, rule, scope, fixedThresholds, minGroupSize, bins,
        bootstrap, intervals);
  }

  /** Adds intervals from {@code bootstrap} (configure its replicates, seed and unit there). */
  public SubgroupMetrics withBootstrap(Bootstrap bootstrap) {
    checkArgument(bootstrap != null, "SubgroupMetrics: bootstrap can not be null");
    checkArgument(intervals == null, "SubgroupMetrics: bootstrap and intervals are exclusive; intervals already set");
    return new SubgroupMetrics(labels, attributes, groupings, rule, scope, fixedThresholds, minGroupSize,
        calibrationBins, bootstrap, null);
  }

  /** Adds intervals already computed by a {@link Bootstrap} (e.g. shared with {@link TprDisparity}). */
  public SubgroupMetrics withIntervals(PCollection<MetricInterval> intervals) {
    checkArgument(intervals != null, "SubgroupMetrics: intervals can not be null");
    checkArgument(bootstrap == null, "SubgroupMetrics: bootstrap and intervals are exclusive; bootstrap already set");
    return new SubgroupMetrics(labels, attributes, groupings, rule, scope, fixedThresholds, minGroupSize,
        calibrationBins, null, intervals);
  }

  /** A {@link Bootstrap} configured with this transform's labels, groupings, rule and scope. */
  public Bootstrap bootstrap() {
    Bootstrap b = Bootstrap.of(labels, attributes, groupings);
    return fixedThresholds.isEmpty() ? b.withRule(rule).withScope(scope) : b.withThresholds(fixedThresholds);
  }

  @Override
  public PCollection<SubgroupMetric> expand(PCollection<ScoredRow> rows) {
    List<Grouping> parsed = Grouping.parseAll(groupings, attributes);
    PCollection<KV<SubgroupKey, ScoreHistogram>> histograms = rows
        .apply("PartialHistograms", ParDo.of(new PartialHistogramsFn(labels, parsed)))
        .setCoder(KvCoder.of(SubgroupKeyCoder.of(), ScoreHistogramCoder.of()))
        .apply("MergeHistograms", Combine.perKey(new MergeFn()));
    PCollectionView<Map<String, Double>> thresholds = histograms
        .apply("ChooseThresholds", ParDo.of(new ChooseThresholdFn(rule, fixedThresholds)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), DoubleCoder.of()))
        .apply("ThresholdView", View.asMap());
    List<PCollectionView<?>> sideInputs = new ArrayList<>();
    sideInputs.add(thresholds);
    PCollectionView<Map<SubgroupKey, Iterable<MetricInterval>>> intervalView = null;
    PCollection<MetricInterval> bounds =
        intervals != null ? intervals : bootstrap != null ? rows.apply("Bootstrap", bootstrap) : null;
    if (bounds != null) {
      intervalView = IntervalView.of(bounds);
      sideInputs.add(intervalView);
    }
    return histograms
        .apply("ToMetrics", ParDo.of(new ToMetricFn(thresholds, intervalView, rule, scope, minGroupSize,
            calibrationBins)).withSideInputs(sideInputs))
        .setCoder(AvroCoder.of(SubgroupMetric.class));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("labels", String.join(",", labels)))
        .add(DisplayData.item("groupings", String.join(",", groupings)))
        .add(DisplayData.item("rule", fixedThresholds.isEmpty() ? rule.describe() : "fixed " + fixedThresholds))
        .add(DisplayData.item("scope", scope.name()))
        .add(DisplayData.item("minGroupSize", minGroupSize))
        .add(DisplayData.item("bootstrap", bootstrap != null || intervals != null));
  }

  private static final class MergeFn extends Combine.BinaryCombineFn<ScoreHistogram> {
    @Override
    public ScoreHistogram apply(ScoreHistogram left, ScoreHistogram right) {
      return left.merge(right);
    }
  }

  private static final class ChooseThresholdFn extends DoFn<KV<SubgroupKey, ScoreHistogram>, KV<String, Double>> {
    private final ThresholdRule rule;
    private final Map<String, Double> fixed;

    ChooseThresholdFn(ThresholdRule rule, Map<String, Double> fixed) {
      this.rule = rule;
      this.fixed = fixed;
    }

    @ProcessElement
    public void process(@Element KV<SubgroupKey, ScoreHistogram> e, OutputReceiver<KV<String, Double>> out) {
      if (e.getKey().isWhole()) {
        String label = e.getKey().label();
        out.output(KV.of(label, fixed.isEmpty() ? rule.choose(e.getValue().curve()) : fixed.get(label)));
      }
    }
  }

  private static final class ToMetricFn extends DoFn<KV<SubgroupKey, ScoreHistogram>, SubgroupMetric> {
    private final PCollectionView<Map<String, Double>> thresholds;
    private final PCollectionView<Map<SubgroupKey, Iterable<MetricInterval>>> intervals;
    private final ThresholdRule rule;
    private final ThresholdScope scope;
    private final long minGroupSize;
    private final int calibrationBins;

    ToMetricFn(PCollectionView<Map<String, Double>> thresholds,
        PCollectionView<Map<SubgroupKey, Iterable<MetricInterval>>> intervals, ThresholdRule rule,
        ThresholdScope scope, long minGroupSize, int calibrationBins) {
      this.thresholds = thresholds;
      this.intervals = intervals;
      this.rule = rule;
      this.scope = scope;
      this.minGroupSize = minGroupSize;
      this.calibrationBins = calibrationBins;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      SubgroupKey key = c.element().getKey();
      ScoreHistogram h = c.element().getValue();
      // an insufficient-data group reports only its sizes, so no threshold is chosen on its few rows
      boolean ownThreshold = scope == ThresholdScope.PER_GROUP && !key.isWhole()
          && h.totalPositives() + h.totalNegatives() >= minGroupSize;
      double threshold = ownThreshold ? rule.choose(h.curve()) : c.sideInput(thresholds).get(key.label());
      c.output(MetricRecords.build(key, h, threshold, minGroupSize, calibrationBins,
          intervals == null ? null : IntervalView.byMetric(c.sideInput(intervals).get(key))));
    }
  }
}
