package org.chexaudit.transforms.metrics;

import static org.chexaudit.core.Checks.checkArgument;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.chexaudit.core.stats.BinaryCurve;
import org.chexaudit.core.stats.Calibration;
import org.chexaudit.core.stats.CurvePointRule;
import org.chexaudit.core.stats.Grouping;
import org.chexaudit.core.stats.ScoreHistogram;
import org.chexaudit.core.stats.ScoreSegments;
import org.chexaudit.core.stats.SegmentLayout;
import org.chexaudit.core.stats.SegmentOffsets;
import org.chexaudit.core.stats.SegmentScan;
import org.chexaudit.core.stats.SegmentSummary;
import org.chexaudit.core.stats.SegmentedCurve;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.core.stats.ScoredRowBatch;
import org.chexaudit.core.stats.SubgroupKey;
import org.chexaudit.core.stats.ThresholdRule;
import org.chexaudit.core.stats.ThresholdScope;
import org.chexaudit.schemas.MetricInterval;
import org.chexaudit.schemas.SubgroupMetric;
import org.chexaudit.transforms.coders.JavaSerializationCoder;
import org.chexaudit.transforms.coders.LongArrayCoder;
import org.chexaudit.transforms.coders.ScoreHistogramCoder;
import org.chexaudit.transforms.coders.SubgroupKeyCoder;
import org.chexaudit.transforms.grouping.ShardedCoGroupByKey;
import org.chexaudit.transforms.grouping.ShardedGroupByKey;

/**
 * Per-label, per-subgroup performance of scored rows: n, positives, negatives, AUC, average
 * precision, TPR, FPR, precision, Youden's J and calibration, for the whole set ({@code all/all}),
 * every attribute and every intersection ({@code sex*race}).
 *
 * <p>Each {@link SubgroupKey}'s exact score histogram is built in score segments of bounded size
 * ({@link ScoreSegments}, cut per label from exact bucket counts), so no record grows with the data: each
 * worker sends a label's rows of a segment once ({@link GroupedScores}: score, target, groups), and the
 * segment's histograms of the whole set and every group are read off all workers' rows together; each
 * curve's figures are then read from its segments in order ({@link SegmentedCurve}, {@link SegmentScan})
 * and equal those of the whole histogram.
 * With {@link ThresholdScope#GLOBAL} (default) the label's threshold is chosen by the rule on the
 * whole set's histogram (so, e.g., the FPR-0.2 point of the full ROC) and applied to every
 * subgroup; with {@link ThresholdScope#PER_GROUP} every subgroup gets the rule's threshold on its
 * own histogram. Groups smaller than {@code minGroupSize} get only their sizes and the note
 * "insufficient data". With {@link #withBootstrap} or {@link #withIntervals} the rows also get
 * percentile intervals from {@link Bootstrap}. Immutable: every {@code with} returns a copy.
 *
 * <p>On the Direct runner, give it rows in few large bundles: its groupings copy the values gathered for a
 * key each time another bundle reaches that key, so rows straight out of a {@code GroupByKey} or
 * {@code CoGroupByKey} (one bundle per key there) cost time quadratic in the keys (2,000 images joined by
 * {@code CoGroupByKey}, 40 replicates: 183 s; through {@code ShardedCoGroupByKey} in 8 buckets: 14 s).
 */
public final class SubgroupMetrics extends PTransform<PCollection<ScoredRow>, PCollection<SubgroupMetric>> {
  /** Default buckets the per-(subgroup, segment) records are shuffled in; see {@link #withKeyShards}. */
  public static final int DEFAULT_KEY_SHARDS = 1024;
  private final List<String> labels;
  private final List<String> attributes;
  private final List<String> groupings;
  private final ThresholdRule rule;
  private final ThresholdScope scope;
  private final Map<String, Double> fixedThresholds;
  private final PCollection<KV<String, Double>> thresholdInput;
  private final long minGroupSize;
  private final int calibrationBins;
  private final Bootstrap bootstrap;
  private final PCollection<MetricInterval> intervals;
  private final long segmentTarget;
  private final int keyShards;

  private SubgroupMetrics(List<String> labels, List<String> attributes, List<String> groupings,
      ThresholdRule rule, ThresholdScope scope, Map<String, Double> fixedThresholds,
      PCollection<KV<String, Double>> thresholdInput, long minGroupSize, int calibrationBins, Bootstrap bootstrap,
      PCollection<MetricInterval> intervals, long segmentTarget, int keyShards) {
    this.labels = labels;
    this.attributes = attributes;
    this.groupings = groupings;
    this.rule = rule;
    this.scope = scope;
    this.fixedThresholds = fixedThresholds;
    this.thresholdInput = thresholdInput;
    this.minGroupSize = minGroupSize;
    this.calibrationBins = calibrationBins;
    this.bootstrap = bootstrap;
    this.intervals = intervals;
    this.segmentTarget = segmentTarget;
    this.keyShards = keyShards;
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
        ThresholdRule.parse("fpr:0.2"), ThresholdScope.GLOBAL, Map.of(), null, 0, Calibration.DEFAULT_BINS, null, null,
        ScoreSegments.DEFAULT_TARGET, DEFAULT_KEY_SHARDS);
  }

  /** The rule choosing each label's threshold; replaces thresholds given by {@link #withThresholds}. */
  public SubgroupMetrics withRule(ThresholdRule rule) {
    checkArgument(rule != null, "SubgroupMetrics: rule can not be null");
    return new SubgroupMetrics(labels, attributes, groupings, rule, scope, Map.of(), null, minGroupSize,
        calibrationBins, bootstrap, intervals, segmentTarget, keyShards);
  }

  /** Whether the rule is applied once on the whole set (default) or on each subgroup's own rows. */
  public SubgroupMetrics withScope(ThresholdScope scope) {
    checkArgument(scope != null, "SubgroupMetrics: scope can not be null");
    checkArgument(scope == ThresholdScope.GLOBAL || (fixedThresholds.isEmpty() && thresholdInput == null),
        "SubgroupMetrics: scope PER_GROUP needs a rule, not fixed thresholds %s",
        thresholdInput != null ? thresholdInput : fixedThresholds);
    return new SubgroupMetrics(labels, attributes, groupings, rule, scope, fixedThresholds, thresholdInput, minGroupSize,
        calibrationBins, bootstrap, intervals, segmentTarget, keyShards);
  }

  /** Thresholds chosen elsewhere (e.g. max F1 on a validation file), one per label; NaN predicts none positive. */
  public SubgroupMetrics withThresholds(Map<String, Double> thresholds) {
    checkArgument(thresholds != null && thresholds.keySet().containsAll(labels),
        "SubgroupMetrics: thresholds must cover every label %s, got %s", labels, thresholds);
    checkArgument(scope == ThresholdScope.GLOBAL,
        "SubgroupMetrics: fixed thresholds are per label; scope must be GLOBAL, got %s", scope);
    return new SubgroupMetrics(labels, attributes, groupings, rule, scope, Map.copyOf(thresholds), null,
        minGroupSize, calibrationBins, bootstrap, intervals, segmentTarget, keyShards);
  }

  /**
   * Thresholds computed in the same pipeline, one {@code KV<label, threshold>} per label (e.g. by
   * {@link ValidationThresholds} on a validation set); NaN predicts none positive. They reach the
   * workers as a side input, so nothing passes through the client. Not with {@link #withBootstrap}:
   * a bootstrap needs its thresholds when it is built ({@link #withThresholds(Map)}).
   */
  public SubgroupMetrics withThresholds(PCollection<KV<String, Double>> thresholds) {
    checkArgument(thresholds != null, "SubgroupMetrics: thresholds can not be null");
    checkArgument(scope == ThresholdScope.GLOBAL,
        "SubgroupMetrics: fixed thresholds are per label; scope must be GLOBAL, got %s", scope);
    checkArgument(bootstrap == null, "SubgroupMetrics: thresholds from a PCollection can not be bootstrapped");
    return new SubgroupMetrics(labels, attributes, groupings, rule, scope, Map.of(), thresholds, minGroupSize,
        calibrationBins, bootstrap, intervals, segmentTarget, keyShards);
  }

  public SubgroupMetrics withMinGroupSize(long minGroupSize) {
    checkArgument(minGroupSize >= 0, "SubgroupMetrics: minGroupSize must be >= 0, got %s", minGroupSize);
    return new SubgroupMetrics(labels, attributes, groupings, rule, scope, fixedThresholds, thresholdInput, minGroupSize,
        calibrationBins, bootstrap, intervals, segmentTarget, keyShards);
  }

  public SubgroupMetrics withCalibrationBins(int bins) {
    checkArgument(bins >= 1, "SubgroupMetrics: calibrationBins must be >= 1, got %s", bins);
    return new SubgroupMetrics(labels, attributes, groupings, rule, scope, fixedThresholds, thresholdInput, minGroupSize, bins,
        bootstrap, intervals, segmentTarget, keyShards);
  }

  /**
   * Scores per score segment (default {@value ScoreSegments#DEFAULT_TARGET}): the exact histograms are
   * combined and shuffled in records of about this many distinct scores. Results do not depend on it.
   */
  public SubgroupMetrics withSegmentTarget(long scores) {
    checkArgument(scores >= 1, "SubgroupMetrics: segmentTarget must be >= 1, got %s", scores);
    return new SubgroupMetrics(labels, attributes, groupings, rule, scope, fixedThresholds, thresholdInput, minGroupSize,
        calibrationBins, bootstrap, intervals, scores, keyShards);
  }

  /**
   * How many buckets the per-(subgroup, segment) records are grouped in ({@link ShardedGroupByKey}; default
   * {@value #DEFAULT_KEY_SHARDS}). Results do not depend on it. The Direct runner pays a fixed cost per
   * bucket in every later step, so a few per worker suit it; a cluster spreads the work better with many.
   */
  public SubgroupMetrics withKeyShards(int shards) {
    checkArgument(shards >= 1, "SubgroupMetrics: keyShards must be >= 1, got %s", shards);
    return new SubgroupMetrics(labels, attributes, groupings, rule, scope, fixedThresholds, thresholdInput, minGroupSize,
        calibrationBins, bootstrap, intervals, segmentTarget, shards);
  }

  /** Adds intervals from {@code bootstrap} (configure its replicates, seed and unit there). */
  public SubgroupMetrics withBootstrap(Bootstrap bootstrap) {
    checkArgument(bootstrap != null, "SubgroupMetrics: bootstrap can not be null");
    checkArgument(intervals == null, "SubgroupMetrics: bootstrap and intervals are exclusive; intervals already set");
    checkArgument(thresholdInput == null, "SubgroupMetrics: thresholds from a PCollection can not be bootstrapped");
    return new SubgroupMetrics(labels, attributes, groupings, rule, scope, fixedThresholds, thresholdInput, minGroupSize,
        calibrationBins, bootstrap, null, segmentTarget, keyShards);
  }

  /** Adds intervals already computed by a {@link Bootstrap} (e.g. shared with {@link TprDisparity}). */
  public SubgroupMetrics withIntervals(PCollection<MetricInterval> intervals) {
    checkArgument(intervals != null, "SubgroupMetrics: intervals can not be null");
    checkArgument(bootstrap == null, "SubgroupMetrics: bootstrap and intervals are exclusive; bootstrap already set");
    return new SubgroupMetrics(labels, attributes, groupings, rule, scope, fixedThresholds, thresholdInput, minGroupSize,
        calibrationBins, null, intervals, segmentTarget, keyShards);
  }

  /** A {@link Bootstrap} configured with this transform's labels, groupings, rule and scope. */
  public Bootstrap bootstrap() {
    checkArgument(thresholdInput == null, "SubgroupMetrics: thresholds from a PCollection can not be bootstrapped");
    Bootstrap b = Bootstrap.of(labels, attributes, groupings);
    return fixedThresholds.isEmpty() ? b.withRule(rule).withScope(scope) : b.withThresholds(fixedThresholds);
  }

  @Override
  public PCollection<SubgroupMetric> expand(PCollection<ScoredRow> rows) {
    // the cuts count batches of their own: with both readers on one batching step (a step whose output also
    // feeds, through the cuts, a side input of its other reader), chexclusion-eval's job on Flink's batch runner
    // hung with no task it could schedule; reading the rows twice, as before batches, it does not
    BatchScoredRows batch = BatchScoredRows.of(labels.size(), attributes.size());
    return expandBatches(rows.apply("BatchRows", batch), rows.apply("BatchRowsForCuts", batch), () -> rows);
  }

  /**
   * This transform on rows that come in {@link ScoredRowBatch}es (from {@link ReadScoredRows#batches}): the same
   * metrics without one element per row between the reader and the histograms. A bootstrap ({@link
   * #withBootstrap}) still reads the rows one by one ({@link UnbatchScoredRows}).
   */
  public PTransform<PCollection<ScoredRowBatch>, PCollection<SubgroupMetric>> onBatches() {
    return new OnBatches(this);
  }

  private static final class OnBatches extends PTransform<PCollection<ScoredRowBatch>, PCollection<SubgroupMetric>> {
    private final SubgroupMetrics spec;

    OnBatches(SubgroupMetrics spec) {
      this.spec = spec;
    }

    @Override
    public PCollection<SubgroupMetric> expand(PCollection<ScoredRowBatch> batches) {
      return spec.expandBatches(batches, batches, () -> batches.apply("UnbatchRows", UnbatchScoredRows.create()));
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      spec.populateDisplayData(builder);
    }
  }

  private PCollection<SubgroupMetric> expandBatches(PCollection<ScoredRowBatch> batches,
      PCollection<ScoredRowBatch> forCuts, Supplier<PCollection<ScoredRow>> rowByRow) {
    List<Grouping> parsed = Grouping.parseAll(groupings, attributes);
    KvCoder<SubgroupKey, Integer> segmentKey = KvCoder.of(SubgroupKeyCoder.of(), VarIntCoder.of());
    // exact histograms per (subgroup, score segment): every record bounded by the segment's size
    // the rows are read by two steps without side inputs (bucket counts for the cuts; compact parts per label),
    // and only the parts wait for the label's cuts. The cuts are counted from the rows, not from the parts: a
    // side input made from the parts and read by a step on the parts left chexclusion-eval's job on Flink's
    // batch runner with no task it could schedule (FlinkEquivalenceTest hung)
    PCollection<KV<String, GroupedScores>> parts = batches
        .apply("GroupedScores", ParDo.of(new GroupedScoresFn(labels, parsed)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), GroupedScores.Coder.of()));
    PCollectionView<Map<String, SegmentLayout>> cuts = forCuts.apply("SegmentCuts", new SegmentCuts(labels, segmentTarget));
    PCollection<KV<KV<SubgroupKey, Integer>, ScoreHistogram>> histograms = parts
        .apply("SplitSegments", ParDo.of(new GroupedScoresFn.SplitSegmentsFn(cuts)).withSideInputs(cuts))
        .setCoder(KvCoder.of(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()), GroupedScores.Coder.of()))
        .apply("GatherSegments", ShardedGroupByKey.create(keyShards))
        .apply("Histograms", ParDo.of(new HistogramsFn(parsed)))
        .setCoder(KvCoder.of(segmentKey, ScoreHistogramCoder.of()));
    // each curve's totals, AUC and calibration from its segments' summaries, and each segment's offsets
    PCollectionTuple walked = histograms
        .apply("Summarize", ParDo.of(new SummarizeFn(calibrationBins)))
        .setCoder(KvCoder.of(SubgroupKeyCoder.of(), KvCoder.of(VarIntCoder.of(),
            JavaSerializationCoder.of(SegmentSummary.class))))
        .apply("GatherSummaries", ShardedGroupByKey.create(keyShards))
        .apply("Walk", ParDo.of(new WalkFn()).withOutputTags(OFFSETS, TupleTagList.of(CURVES)));
    PCollection<KV<KV<SubgroupKey, Integer>, SegmentOffsets>> offsets =
        walked.get(OFFSETS).setCoder(KvCoder.of(segmentKey, JavaSerializationCoder.of(SegmentOffsets.class)));
    PCollection<KV<SubgroupKey, SegmentedCurve>> curves =
        walked.get(CURVES).setCoder(KvCoder.of(SubgroupKeyCoder.of(), JavaSerializationCoder.of(SegmentedCurve.class)));
    // each segment read with its offsets: AP, the rule's best point, the thinned ROC
    // the offsets (a few numbers per segment) reach the histograms as a side input: joining them would
    // shuffle every histogram once more
    PCollectionView<Map<KV<SubgroupKey, Integer>, SegmentOffsets>> offsetView = offsets.apply("OffsetView", View.asMap());
    PCollection<KV<SubgroupKey, SegmentScan.Result>> scanned = histograms
        .apply("Scan", ParDo.of(new ScanFn(new OwnThreshold(this), offsetView)).withSideInputs(offsetView))
        .setCoder(KvCoder.of(SubgroupKeyCoder.of(), KvCoder.of(VarIntCoder.of(),
            JavaSerializationCoder.of(SegmentScan.class))))
        .apply("GatherScans", ShardedGroupByKey.create(keyShards))
        .apply("CombineScans", ParDo.of(new CombineScansFn(new OwnThreshold(this))))
        .setCoder(KvCoder.of(SubgroupKeyCoder.of(), JavaSerializationCoder.of(SegmentScan.Result.class)));
    PCollection<KV<String, Double>> chosen = thresholdInput != null ? thresholdInput : scanned
        .apply("LabelThresholds", ParDo.of(new LabelThresholdFn(fixedThresholds)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), DoubleCoder.of()));
    PCollectionView<Map<String, Double>> labelThresholds = chosen.apply("LabelThresholdView", View.asMap());
    PCollectionView<Map<SubgroupKey, Double>> thresholds = scanned
        .apply("Thresholds", ParDo.of(new KeyThresholdFn(new OwnThreshold(this), labelThresholds)).withSideInputs(labelThresholds))
        .setCoder(KvCoder.of(SubgroupKeyCoder.of(), DoubleCoder.of()))
        .apply("ThresholdView", View.asMap());
    PCollection<KV<SubgroupKey, long[]>> counts = histograms
        .apply("CountAtThreshold", ParDo.of(new CountFn(thresholds)).withSideInputs(thresholds))
        .setCoder(KvCoder.of(SubgroupKeyCoder.of(), LongArrayCoder.of()))
        .apply("GatherCounts", ShardedGroupByKey.create(keyShards))
        .apply("SumCounts", ParDo.of(new SumCountsFn()))
        .setCoder(KvCoder.of(SubgroupKeyCoder.of(), LongArrayCoder.of()));
    List<PCollectionView<?>> sideInputs = new ArrayList<>();
    sideInputs.add(thresholds);
    PCollectionView<Map<SubgroupKey, Iterable<MetricInterval>>> intervalView = null;
    PCollection<MetricInterval> bounds =
        intervals != null ? intervals : bootstrap != null ? rowByRow.get().apply("Bootstrap", bootstrap) : null;
    if (bounds != null) {
      intervalView = IntervalView.of(bounds);
      sideInputs.add(intervalView);
    }
    return KeyedPCollectionTuple.of(CURVE, curves).and(SCAN, scanned).and(COUNTS, counts)
        .apply("JoinFigures", ShardedCoGroupByKey.create(keyShards))
        .apply("ToMetrics", ParDo.of(new ToMetricFn(thresholds, intervalView, minGroupSize)).withSideInputs(sideInputs))
        .setCoder(AvroCoder.of(SubgroupMetric.class));
  }

  /** Which curves choose their own threshold, and how: the serialisable part of this transform the workers need. */
  private static final class OwnThreshold implements Serializable {
    private static final long serialVersionUID = 1L;
    final ThresholdRule rule;
    final ThresholdScope scope;
    final boolean fixed;
    final long minGroupSize;

    OwnThreshold(SubgroupMetrics spec) {
      this.rule = spec.rule;
      this.scope = spec.scope;
      this.fixed = !spec.fixedThresholds.isEmpty() || spec.thresholdInput != null;
      this.minGroupSize = spec.minGroupSize;
    }

    /** The label's whole set, and under PER_GROUP every group large enough; never with fixed thresholds. */
    boolean applies(SubgroupKey key, long n) {
      return !fixed && (key.isWhole() || (scope == ThresholdScope.PER_GROUP && n >= minGroupSize));
    }
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("labels", String.join(",", labels)))
        .add(DisplayData.item("groupings", String.join(",", groupings)))
        .add(DisplayData.item("rule", thresholdInput != null ? "given per label"
            : fixedThresholds.isEmpty() ? rule.describe() : "fixed " + fixedThresholds))
        .add(DisplayData.item("scope", scope.name()))
        .add(DisplayData.item("minGroupSize", minGroupSize))
        .add(DisplayData.item("bootstrap", bootstrap != null || intervals != null));
  }

  private static final TupleTag<KV<KV<SubgroupKey, Integer>, SegmentOffsets>> OFFSETS = new TupleTag<>("offsets") {};
  private static final TupleTag<KV<SubgroupKey, SegmentedCurve>> CURVES = new TupleTag<>("curves") {};
  private static final TupleTag<SegmentedCurve> CURVE = new TupleTag<>("curve") {};
  private static final TupleTag<SegmentScan.Result> SCAN = new TupleTag<>("scan") {};
  private static final TupleTag<long[]> COUNTS = new TupleTag<>("counts") {};

  private static final class SummarizeFn
      extends DoFn<KV<KV<SubgroupKey, Integer>, ScoreHistogram>, KV<SubgroupKey, KV<Integer, SegmentSummary>>> {
    private final int calibrationBins;

    SummarizeFn(int calibrationBins) {
      this.calibrationBins = calibrationBins;
    }

    @ProcessElement
    public void process(@Element KV<KV<SubgroupKey, Integer>, ScoreHistogram> e,
        OutputReceiver<KV<SubgroupKey, KV<Integer, SegmentSummary>>> out) {
      out.output(KV.of(e.getKey().getKey(),
          KV.of(e.getKey().getValue(), SegmentSummary.of(e.getValue(), calibrationBins))));
    }
  }

  /** One curve's segments, highest first: its {@link SegmentedCurve} and each segment's offsets. */
  private static final class WalkFn
      extends DoFn<KV<SubgroupKey, Iterable<KV<Integer, SegmentSummary>>>, KV<KV<SubgroupKey, Integer>, SegmentOffsets>> {
    @ProcessElement
    public void process(ProcessContext c) {
      SubgroupKey key = c.element().getKey();
      List<KV<Integer, SegmentSummary>> segments = SegmentCuts.highestFirst(c.element().getValue());
      List<SegmentSummary> summaries = new ArrayList<>();
      segments.forEach(kv -> summaries.add(kv.getValue()));
      SegmentedCurve curve = SegmentedCurve.walk(summaries);
      for (int i = 0; i < segments.size(); i++) {
        c.output(KV.of(KV.of(key, segments.get(i).getKey()), curve.offsets().get(i)));
      }
      c.output(CURVES, KV.of(key, curve));
    }
  }

  private static final class ScanFn
      extends DoFn<KV<KV<SubgroupKey, Integer>, ScoreHistogram>, KV<SubgroupKey, KV<Integer, SegmentScan>>> {
    private final OwnThreshold spec;
    private final PCollectionView<Map<KV<SubgroupKey, Integer>, SegmentOffsets>> offsetView;
    private transient Map<KV<SubgroupKey, Integer>, SegmentOffsets> offsets;

    ScanFn(OwnThreshold spec, PCollectionView<Map<KV<SubgroupKey, Integer>, SegmentOffsets>> offsetView) {
      this.spec = spec;
      this.offsetView = offsetView;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      if (offsets == null) { // read once: the Direct runner rebuilds a map view on every read
        offsets = new HashMap<>(c.sideInput(offsetView));
      }
      SubgroupKey key = c.element().getKey().getKey();
      ScoreHistogram h = c.element().getValue();
      SegmentOffsets o = offsets.get(c.element().getKey());
      CurvePointRule rule = spec.applies(key, o.positives() + o.negatives()) ? spec.rule.pointRule() : null;
      c.output(KV.of(key, KV.of(c.element().getKey().getValue(), SegmentScan.of(h, o, rule, MetricRecords.MAX_ROC_POINTS))));
    }
  }

  private static final class CombineScansFn
      extends DoFn<KV<SubgroupKey, Iterable<KV<Integer, SegmentScan>>>, KV<SubgroupKey, SegmentScan.Result>> {
    private final OwnThreshold spec;

    CombineScansFn(OwnThreshold spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element KV<SubgroupKey, Iterable<KV<Integer, SegmentScan>>> e,
        OutputReceiver<KV<SubgroupKey, SegmentScan.Result>> out) {
      List<KV<Integer, SegmentScan>> segments = SegmentCuts.highestFirst(e.getValue());
      List<SegmentScan> scans = new ArrayList<>();
      segments.forEach(kv -> scans.add(kv.getValue()));
      SegmentScan first = scans.get(0);
      boolean own = spec.applies(e.getKey(), first.positives() + first.negatives());
      SegmentScan.Result result = SegmentScan.combine(scans, own ? spec.rule.pointRule() : null);
      if (own && spec.rule.pointRule() == null) { // a value:X rule: the same threshold for any curve
        double value = spec.rule.choose(BinaryCurve.of(new int[0], new double[0]));
        result = new SegmentScan.Result(result.positives(), result.negatives(), result.averagePrecision(), value,
            result.rocFpr(), result.rocTpr());
      }
      out.output(KV.of(e.getKey(), result));
    }
  }

  private static final class LabelThresholdFn extends DoFn<KV<SubgroupKey, SegmentScan.Result>, KV<String, Double>> {
    private final Map<String, Double> fixed;

    LabelThresholdFn(Map<String, Double> fixed) {
      this.fixed = fixed;
    }

    @ProcessElement
    public void process(@Element KV<SubgroupKey, SegmentScan.Result> e, OutputReceiver<KV<String, Double>> out) {
      if (e.getKey().isWhole()) {
        String label = e.getKey().label();
        out.output(KV.of(label, fixed.isEmpty() ? e.getValue().threshold() : fixed.get(label)));
      }
    }
  }

  /** Each curve's threshold: its own where it chose one (a group under PER_GROUP), else its label's. */
  private static final class KeyThresholdFn extends DoFn<KV<SubgroupKey, SegmentScan.Result>, KV<SubgroupKey, Double>> {
    private final OwnThreshold spec;
    private final PCollectionView<Map<String, Double>> labelThresholds;

    KeyThresholdFn(OwnThreshold spec, PCollectionView<Map<String, Double>> labelThresholds) {
      this.spec = spec;
      this.labelThresholds = labelThresholds;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      SubgroupKey key = c.element().getKey();
      SegmentScan.Result r = c.element().getValue();
      boolean own = !key.isWhole() && spec.applies(key, r.positives() + r.negatives());
      Double label = c.sideInput(labelThresholds).get(key.label());
      if (!own && label == null) { // thresholds given from outside that miss a label (e.g. an empty validation set)
        throw new IllegalStateException("SubgroupMetrics: no threshold for label '" + key.label() + "'; the given"
            + " thresholds have labels " + c.sideInput(labelThresholds).keySet());
      }
      c.output(KV.of(key, own ? r.threshold() : label));
    }
  }

  private static final class CountFn extends DoFn<KV<KV<SubgroupKey, Integer>, ScoreHistogram>, KV<SubgroupKey, long[]>> {
    private final PCollectionView<Map<SubgroupKey, Double>> thresholds;
    private transient Map<SubgroupKey, Double> byKey;

    CountFn(PCollectionView<Map<SubgroupKey, Double>> thresholds) {
      this.thresholds = thresholds;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      if (byKey == null) { // read once: the Direct runner rebuilds a map view on every read
        byKey = new HashMap<>(c.sideInput(thresholds));
      }
      SubgroupKey key = c.element().getKey().getKey();
      c.output(KV.of(key, c.element().getValue().countsAtOrAbove(byKey.get(key))));
    }
  }

  private static final class SumCountsFn extends DoFn<KV<SubgroupKey, Iterable<long[]>>, KV<SubgroupKey, long[]>> {
    @ProcessElement
    public void process(@Element KV<SubgroupKey, Iterable<long[]>> e, OutputReceiver<KV<SubgroupKey, long[]>> out) {
      long[] sum = new long[2];
      for (long[] part : e.getValue()) {
        sum[0] += part[0];
        sum[1] += part[1];
      }
      out.output(KV.of(e.getKey(), sum));
    }
  }

  /** A (label, segment)'s rows from every worker: the whole set's and every group's exact histogram. */
  private static final class HistogramsFn
      extends DoFn<KV<KV<String, Integer>, Iterable<GroupedScores>>, KV<KV<SubgroupKey, Integer>, ScoreHistogram>> {
    private final List<Grouping> groupings;

    HistogramsFn(List<Grouping> groupings) {
      this.groupings = groupings;
    }

    @ProcessElement
    public void process(@Element KV<KV<String, Integer>, Iterable<GroupedScores>> e,
        OutputReceiver<KV<KV<SubgroupKey, Integer>, ScoreHistogram>> out) {
      String label = e.getKey().getKey();
      Integer segment = e.getKey().getValue();
      List<GroupedScores> parts = new ArrayList<>();
      e.getValue().forEach(parts::add);
      GroupedScores.histograms(parts, groupings.size(),
          h -> out.output(KV.of(KV.of(SubgroupKey.whole(label), segment), h)),
          (g, group, h) -> out.output(KV.of(KV.of(new SubgroupKey(label, groupings.get(g).name(), group), segment), h)));
    }
  }

  private static final class ToMetricFn extends DoFn<KV<SubgroupKey, CoGbkResult>, SubgroupMetric> {
    private final PCollectionView<Map<SubgroupKey, Double>> thresholds;
    private final PCollectionView<Map<SubgroupKey, Iterable<MetricInterval>>> intervals;
    private final long minGroupSize;

    ToMetricFn(PCollectionView<Map<SubgroupKey, Double>> thresholds,
        PCollectionView<Map<SubgroupKey, Iterable<MetricInterval>>> intervals, long minGroupSize) {
      this.thresholds = thresholds;
      this.intervals = intervals;
      this.minGroupSize = minGroupSize;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      SubgroupKey key = c.element().getKey();
      CoGbkResult figures = c.element().getValue();
      c.output(MetricRecords.build(key, figures.getOnly(CURVE), figures.getOnly(SCAN), figures.getOnly(COUNTS),
          c.sideInput(thresholds).get(key), minGroupSize,
          intervals == null ? null : IntervalView.byMetric(c.sideInput(intervals).get(key))));
    }
  }
}
