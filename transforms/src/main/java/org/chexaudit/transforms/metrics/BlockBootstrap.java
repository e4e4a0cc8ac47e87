package org.chexaudit.transforms.metrics;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.chexaudit.core.stats.BinaryCurve;
import org.chexaudit.transforms.io.IdHash;
import org.chexaudit.core.stats.BlockDraws;
import org.chexaudit.core.stats.BootstrapInterval;
import org.chexaudit.core.stats.ConfusionCounts;
import org.chexaudit.core.stats.CurvePointRule;
import org.chexaudit.core.stats.GapRules;
import org.chexaudit.core.stats.Grouping;
import org.chexaudit.core.stats.Quantiles;
import org.chexaudit.core.stats.ScoreHistogram;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.core.stats.SegmentLayout;
import org.chexaudit.core.stats.SegmentOffsets;
import org.chexaudit.core.stats.SegmentScan;
import org.chexaudit.core.stats.SegmentSummary;
import org.chexaudit.core.stats.SegmentedCurve;
import org.chexaudit.core.stats.SortedScores;
import org.chexaudit.core.stats.SubgroupKey;
import org.chexaudit.core.stats.ThresholdRule;
import org.chexaudit.core.stats.ThresholdScope;
import org.chexaudit.core.stats.TprGaps;
import org.chexaudit.schemas.IntervalMetric;
import org.chexaudit.schemas.MetricInterval;
import org.chexaudit.transforms.coders.JavaSerializationCoder;

/**
 * {@link Bootstrap}'s replicates without gathering a label's sample: each label's rows are
 * held in blocks, one per score segment ({@link SegmentCuts}), or several where a segment holds more rows
 * than the target (a tie: a segment cannot cut between equal scores) and is split by row
 * ({@link SegmentLayout#blockOf}); replicate r's draws are allocated to the blocks and drawn within each
 * ({@link BlockDraws}); each replicate's curves are then read segment by segment as {@link SubgroupMetrics}
 * reads the sample's ({@link SegmentedCurve}, {@link SegmentScan}): summaries, the rule's threshold on the
 * walked curve, and the counts at that threshold, each pass re-drawing the same weights inside the block.
 * A split segment's per-replicate histograms are merged across its blocks first ({@link MergedSegment}):
 * they hold at most the distinct scores of one score bucket (2,048 for float32 scores), so a tie of any
 * size is one point per replicate. No record holds more than a block; replicate 0 is the sample itself
 * (the estimate). Equal, replicate for replicate, to {@link BootstrapInterval#run} with
 * {@link org.chexaudit.core.stats.SegmentedResample} on the whole sample.
 *
 * <p>The passes read a block's rows only through {@link WeightedBlock}: which replicates it serves and each
 * row's weight in one of them. Image-level replicates ({@link DrawnBlock}) re-draw a block's weights from its
 * allocation in every pass; patient-level replicates ({@link PatientWeights.CarriedBlock}) cannot (a patient's
 * rows lie in many blocks), so their rows arrive with their patients' multiplicities, one record per block and
 * range of replicates, drawn per patient block; those are equal, replicate for replicate, to
 * {@link org.chexaudit.core.stats.BlockClusterResample} on the whole sample.
 */
final class BlockBootstrap extends PTransform<PCollection<ScoredRow>, PCollection<MetricInterval>> {
  private static final IntervalMetric[] METRICS =
      {IntervalMetric.AUC, IntervalMetric.TPR, IntervalMetric.FPR, IntervalMetric.TPR_GAP};
  private static final TupleTag<RowBlock> BLOCK = new TupleTag<>("block") {};
  private static final TupleTag<Allocation> ALLOCATION = new TupleTag<>("allocation") {};
  private static final TupleTag<SegmentSource> SOURCE = new TupleTag<>("source") {};
  private static final TupleTag<KV<KV<String, Integer>, SegmentSource>> WHOLE_SEGMENTS =
      new TupleTag<>("wholeSegments") {};
  private static final TupleTag<KV<KV<KV<String, Integer>, Integer>, KV<Integer, PartHistograms>>> SEGMENT_PARTS =
      new TupleTag<>("segmentParts") {};
  private static final TupleTag<ByCurve> OFFSET = new TupleTag<>("offset") {};
  private static final TupleTag<KV<KV<String, Integer>, ByCurve>> OFFSETS = new TupleTag<>("offsets") {};
  private static final TupleTag<KV<KV<String, Integer>, ByCurve>> CURVES = new TupleTag<>("curves") {};
  private static final TupleTag<ByCurve> CURVE = new TupleTag<>("curve") {};
  private static final TupleTag<ByCurve> COUNTS = new TupleTag<>("counts") {};

  private final Spec spec;

  BlockBootstrap(List<String> labels, List<String> attributes, List<String> groupings, ThresholdRule rule,
      ThresholdScope scope, GapRules gapRules, int replicates, long seed, Bootstrap.Unit unit, String strata,
      double level, Map<String, Double> fixedThresholds, long segmentTarget, int replicatesPerRecord) {
    this.spec = new Spec(labels, attributes, Grouping.parseAll(groupings, attributes), rule, scope, gapRules,
        replicates, seed, unit, strata == null ? -1 : attributes.indexOf(strata), strata, level, fixedThresholds,
        segmentTarget, replicatesPerRecord);
  }

  /** What the workers need: serialisable, without the transform's PCollections. */
  static final class Spec implements Serializable {
    private static final long serialVersionUID = 1L;
    final List<String> labels;
    final List<String> attributes;
    final List<Grouping> groupings;
    final ThresholdRule rule;
    final ThresholdScope scope;
    final GapRules gapRules;
    final int replicates;
    final long seed;
    final Bootstrap.Unit unit;
    final int strataColumn;
    final String strata;
    final double level;
    final Map<String, Double> fixedThresholds;
    final long segmentTarget;
    /** Patient-level replicates: how many replicates' row weights one record carries. */
    final int replicatesPerRecord;

    Spec(List<String> labels, List<String> attributes, List<Grouping> groupings, ThresholdRule rule,
        ThresholdScope scope, GapRules gapRules, int replicates, long seed, Bootstrap.Unit unit, int strataColumn,
        String strata, double level, Map<String, Double> fixedThresholds, long segmentTarget,
        int replicatesPerRecord) {
      this.labels = labels;
      this.attributes = attributes;
      this.groupings = groupings;
      this.rule = rule;
      this.scope = scope;
      this.gapRules = gapRules;
      this.replicates = replicates;
      this.seed = seed;
      this.unit = unit;
      this.strataColumn = strataColumn;
      this.strata = strata;
      this.level = level;
      this.fixedThresholds = fixedThresholds;
      this.segmentTarget = segmentTarget;
      this.replicatesPerRecord = replicatesPerRecord;
    }

    /** The rule for {@code label}: its fixed threshold if given, else the configured rule. */
    ThresholdRule ruleFor(String label) {
      return fixedThresholds.containsKey(label)
          ? org.chexaudit.core.stats.FixedThresholdRule.of(fixedThresholds.get(label)) : rule;
    }

    /** Whether curve {@code key} chooses its own threshold (the whole set; every group under PER_GROUP). */
    boolean ownThreshold(SubgroupKey key) {
      return key.isWhole() || (scope == ThresholdScope.PER_GROUP && !fixedThresholds.containsKey(key.label()));
    }
  }

  @Override
  public PCollection<MetricInterval> expand(PCollection<ScoredRow> rows) {
    PCollectionView<Map<String, SegmentLayout>> cuts = rows
        .apply("BatchRows", BatchScoredRows.of(spec.labels.size(), spec.attributes.size()))
        .apply("SegmentCuts", new SegmentCuts(spec.labels, spec.segmentTarget));
    PCollection<KV<KV<String, Long>, WeightedBlock>> weighted = spec.unit == Bootstrap.Unit.IMAGE
        ? drawnBlocks(rows, cuts) : rows.apply("PatientWeights", new PatientWeights(spec, cuts));
    return evaluate(weighted);
  }

  /** (label, block) */
  static final KvCoder<String, Long> BLOCK_KEY = KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of());

  /** Image-level replicates: each score block with its allocation, its rows' weights re-drawn within it. */
  private PCollection<KV<KV<String, Long>, WeightedBlock>> drawnBlocks(PCollection<ScoredRow> rows,
      PCollectionView<Map<String, SegmentLayout>> cuts) {
    KvCoder<String, Long> blockKey = BLOCK_KEY;
    PCollection<KV<KV<String, Long>, RowBlock>> blocks = rows
        .apply("ToBlocks", ParDo.of(new ToBlocksFn(spec, cuts)).withSideInputs(cuts))
        .setCoder(KvCoder.of(blockKey, JavaSerializationCoder.of(RowBlock.class)))
        .apply("MergeBlocks",
            Combine.perKey(new GatherCombineFn<>(JavaSerializationCoder.of(RowBlock.class), RowBlock::concat)))
        .apply("SortBlocks", ParDo.of(new SortBlockFn()))
        .setCoder(KvCoder.of(blockKey, JavaSerializationCoder.of(RowBlock.class)));
    PCollection<KV<KV<String, Long>, Allocation>> allocations = allocate(blocks
        .apply("StratumSizes", ParDo.of(new StratumSizesFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), JavaSerializationCoder.of(StratumSizes.class))), spec);
    return KeyedPCollectionTuple.of(BLOCK, blocks)
        .and(ALLOCATION, allocations)
        .apply("JoinAllocations", CoGroupByKey.create())
        .apply("Weighted", ParDo.of(new WeightedFn()))
        .setCoder(KvCoder.of(blockKey, JavaSerializationCoder.of(WeightedBlock.class)));
  }

  /**
   * Each replicate's draws per stratum allocated to the blocks ({@link BlockDraws#allocate}): from every
   * block's stratum sizes, keyed by the blocks' owner (a label), to each (owner, block)'s draws in every
   * replicate. The owner's blocks are gathered as sizes only (one small record per block) and allocated in
   * {@link Bootstrap#CHUNKS} chunks of replicates in parallel.
   */
  static PCollection<KV<KV<String, Long>, Allocation>> allocate(PCollection<KV<String, StratumSizes>> sizes,
      Spec spec) {
    KvCoder<String, Integer> chunkKey = KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()); // (owner, chunk)
    return sizes
        .apply("GatherSizes", GroupByKey.create())
        .apply("Chunks", ParDo.of(new SizesByChunkFn(spec)))
        .setCoder(KvCoder.of(chunkKey, JavaSerializationCoder.of(LabelSizes.class)))
        .apply("Spread", Reshuffle.of())
        .apply("Allocate", ParDo.of(new AllocateFn(spec)))
        .setCoder(KvCoder.of(BLOCK_KEY, KvCoder.of(VarIntCoder.of(), JavaSerializationCoder.of(Allocation.class))))
        .apply("GatherAllocations", GroupByKey.create())
        .apply("JoinChunks", ParDo.of(new JoinChunksFn(spec)))
        .setCoder(KvCoder.of(BLOCK_KEY, JavaSerializationCoder.of(Allocation.class)));
  }

  /**
   * Every replicate's intervals from the blocks of rows with their per-replicate weights, by three passes
   * over the score segments: summaries walked into totals, AUC and offsets; the rule's threshold; the counts
   * at it.
   */
  private PCollection<MetricInterval> evaluate(PCollection<KV<KV<String, Long>, WeightedBlock>> weighted) {
    KvCoder<String, Integer> segmentKey = KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()); // (label, segment)
    KvCoder<String, Integer> chunkKey = segmentKey; // (label, chunk of replicates)
    // each segment's source of per-replicate histograms: a whole segment's block, or a split segment's blocks'
    // histograms merged per chunk of replicates
    PCollectionTuple bySegment = weighted.apply("ToSegments",
        ParDo.of(new ToSegmentsFn(spec)).withOutputTags(WHOLE_SEGMENTS, TupleTagList.of(SEGMENT_PARTS)));
    KvCoder<KV<String, Integer>, SegmentSource> sourceCoder =
        KvCoder.of(segmentKey, JavaSerializationCoder.of(SegmentSource.class));
    PCollection<KV<KV<String, Integer>, SegmentSource>> merged = bySegment.get(SEGMENT_PARTS)
        .setCoder(KvCoder.of(KvCoder.of(segmentKey, VarIntCoder.of()),
            KvCoder.of(VarIntCoder.of(), JavaSerializationCoder.of(PartHistograms.class))))
        .apply("GatherParts", GroupByKey.create())
        .apply("MergeParts", ParDo.of(new MergePartsFn()))
        .setCoder(sourceCoder);
    PCollection<KV<KV<String, Integer>, SegmentSource>> sources =
        PCollectionList.of(bySegment.get(WHOLE_SEGMENTS).setCoder(sourceCoder)).and(merged)
            .apply("Segments", Flatten.pCollections());
    // pass 1: every replicate's curve summaries per segment, walked into totals, AUC and offsets; work is keyed
    // by (label, chunk of replicates) so the number of keys does not grow with the replicates
    PCollectionTuple walked = sources
        .apply("Summarize", ParDo.of(new SummarizeFn(spec)))
        .setCoder(KvCoder.of(chunkKey, KvCoder.of(VarIntCoder.of(), JavaSerializationCoder.of(ByCurve.class))))
        .apply("GatherSummaries", GroupByKey.create())
        .apply("Walk", ParDo.of(new WalkFn()).withOutputTags(OFFSETS, TupleTagList.of(CURVES)));
    PCollection<KV<KV<String, Integer>, ByCurve>> curves = walked.get(CURVES)
        .setCoder(KvCoder.of(chunkKey, JavaSerializationCoder.of(ByCurve.class)));
    // pass 2: the rule's threshold on each replicate's walked curve
    PCollection<KV<KV<String, Integer>, ByCurve>> offsets = walked.get(OFFSETS)
        .setCoder(KvCoder.of(segmentKey, JavaSerializationCoder.of(ByCurve.class)));
    PCollectionView<Map<KV<String, Integer>, ByCurve>> thresholds = KeyedPCollectionTuple.of(SOURCE, sources)
        .and(OFFSET, offsets)
        .apply("JoinOffsets", CoGroupByKey.create())
        .apply("Scan", ParDo.of(new ScanFn(spec)))
        .setCoder(KvCoder.of(chunkKey, KvCoder.of(VarIntCoder.of(), JavaSerializationCoder.of(ByCurve.class))))
        .apply("GatherScans", GroupByKey.create())
        .apply("Choose", ParDo.of(new ChooseFn(spec)))
        .setCoder(KvCoder.of(chunkKey, JavaSerializationCoder.of(ByCurve.class)))
        .apply("ThresholdView", View.asMap());
    // pass 3: counts at each replicate's thresholds
    PCollection<KV<KV<String, Integer>, ByCurve>> counts = weighted
        .apply("Count", ParDo.of(new CountFn(spec, thresholds)).withSideInputs(thresholds))
        .setCoder(KvCoder.of(chunkKey, JavaSerializationCoder.of(ByCurve.class)))
        .apply("SumCounts", Combine.perKey(new SumCountsFn()));
    return KeyedPCollectionTuple.of(CURVE, curves).and(COUNTS, counts)
        .apply("JoinFigures", CoGroupByKey.create())
        .apply("Metrics", ParDo.of(new ReplicateMetricsFn(spec)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), JavaSerializationCoder.of(ChunkValues.class)))
        .apply("GatherValues", GroupByKey.create())
        .apply("Percentiles", ParDo.of(new PercentileFn(spec)))
        .setCoder(AvroCoder.of(MetricInterval.class));
  }

  /** A value per curve of several replicates: (replicate, curve) to a summary, offsets, scan, threshold or counts. */
  static final class ByCurve implements Serializable {
    private static final long serialVersionUID = 1L;
    final HashMap<ReplicateKey, Object> values = new HashMap<>();

    @SuppressWarnings("unchecked")
    <T> T get(ReplicateKey key) {
      return (T) values.get(key);
    }
  }

  /** One curve of one replicate. */
  record ReplicateKey(int replicate, SubgroupKey key) implements Serializable {}

  /** One label's values of the replicates of one chunk: (curve, metric) to values by replicate. */
  static final class ChunkValues implements Serializable {
    private static final long serialVersionUID = 1L;
    final HashMap<KV<SubgroupKey, Integer>, TreeMap<Integer, Double>> values = new HashMap<>();

    void put(SubgroupKey key, int metric, int replicate, double value) {
      values.computeIfAbsent(KV.of(key, metric), k -> new TreeMap<>()).put(replicate, value);
    }
  }

  /** Splits rows into per-(label, segment) blocks, buffering at most {@value BatchScoredRows#BATCH_ROWS} rows. */
  private static final class ToBlocksFn extends DoFn<ScoredRow, KV<KV<String, Long>, RowBlock>> {
    private final Spec spec;
    private final PCollectionView<Map<String, SegmentLayout>> cutView;
    private transient SegmentLayout[] layouts;
    private transient Map<KV<String, Long>, RowBlock> buffer;
    private transient int n;

    ToBlocksFn(Spec spec, PCollectionView<Map<String, SegmentLayout>> cutView) {
      this.spec = spec;
      this.cutView = cutView;
    }

    @StartBundle
    public void start() {
      buffer = new HashMap<>();
      n = 0;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      ScoredRow row = c.element();
      GroupedScoresFn.checkWidth(row, spec.labels);
      if (layouts == null) {
        Map<String, SegmentLayout> byLabel = c.sideInput(cutView);
        layouts = spec.labels.stream().map(byLabel::get).toArray(SegmentLayout[]::new);
      }
      String[] groupOf = new String[spec.groupings.size()];
      for (int g = 0; g < groupOf.length; g++) {
        groupOf[g] = spec.groupings.get(g).groupOf(row);
      }
      String classOf = null;
      if (spec.strataColumn >= 0) {
        classOf = row.attribute(spec.strataColumn);
        if (classOf == null || classOf.isEmpty()) {
          throw new IllegalArgumentException("Bootstrap strata '" + spec.strata + "': row " + row.id() + " has no value");
        }
      }
      long tie = IdHash.of(row.id());
      for (int l = 0; l < spec.labels.size(); l++) {
        double s = row.score(l);
        KV<String, Long> key = KV.of(spec.labels.get(l), layouts[l].blockOf(s, tie));
        buffer.computeIfAbsent(key, k -> new RowBlock(groupOf.length))
            .add(s, row.target(l) == 1, tie, classOf != null ? classOf : Integer.toString(row.target(l)), groupOf);
      }
      if (++n == BatchScoredRows.BATCH_ROWS) {
        buffer.forEach((k, b) -> c.output(KV.of(k, b)));
        buffer = new HashMap<>();
        n = 0;
      }
    }

    @FinishBundle
    public void finish(FinishBundleContext c) {
      buffer.forEach((k, b) -> c.output(KV.of(k, b), BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE));
      buffer = null;
    }
  }

  private static final class SortBlockFn extends DoFn<KV<KV<String, Long>, RowBlock>, KV<KV<String, Long>, RowBlock>> {
    @ProcessElement
    public void process(@Element KV<KV<String, Long>, RowBlock> e, OutputReceiver<KV<KV<String, Long>, RowBlock>> out) {
      out.output(KV.of(e.getKey(), e.getValue().sorted()));
    }
  }

  /** One block's row count per stratum. */
  static final class StratumSizes implements Serializable {
    private static final long serialVersionUID = 1L;
    final long block;
    final Map<String, Long> sizes;

    StratumSizes(long block, Map<String, Long> sizes) {
      this.block = block;
      this.sizes = sizes;
    }
  }

  private static final class StratumSizesFn extends DoFn<KV<KV<String, Long>, RowBlock>, KV<String, StratumSizes>> {
    @ProcessElement
    public void process(@Element KV<KV<String, Long>, RowBlock> e, OutputReceiver<KV<String, StratumSizes>> out) {
      Map<String, Long> sizes = new TreeMap<>();
      RowBlock b = e.getValue();
      for (int i = 0; i < b.size(); i++) {
        sizes.merge(b.stratumOf(i), 1L, Long::sum);
      }
      out.output(KV.of(e.getKey().getKey(), new StratumSizes(e.getKey().getValue(), sizes)));
    }
  }

  /**
   * The draws of every replicate that land in one block: {@code counts[r][s]}, strata by name; and how many
   * blocks its segment is split into.
   */
  static final class Allocation implements Serializable {
    private static final long serialVersionUID = 1L;
    final List<String> strata;
    final int[][] counts;
    final int parts;

    Allocation(List<String> strata, int[][] counts, int parts) {
      this.strata = strata;
      this.counts = counts;
      this.parts = parts;
    }
  }

  /** One label's stratum sizes per block, blocks in {@link SegmentLayout#BLOCK_ORDER}, strata by name. */
  static final class LabelSizes implements Serializable {
    private static final long serialVersionUID = 1L;
    final long[] blocks;
    final List<String> strata;
    final long[][] sizes;

    LabelSizes(long[] blocks, List<String> strata, long[][] sizes) {
      this.blocks = blocks;
      this.strata = strata;
      this.sizes = sizes;
    }
  }

  /** Per label: the blocks' sizes, once per chunk of replicates, so the chunks are allocated in parallel. */
  private static final class SizesByChunkFn extends DoFn<KV<String, Iterable<StratumSizes>>, KV<KV<String, Integer>, LabelSizes>> {
    private final Spec spec;

    SizesByChunkFn(Spec spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<StratumSizes>> e,
        OutputReceiver<KV<KV<String, Integer>, LabelSizes>> out) {
      List<StratumSizes> blocks = new ArrayList<>();
      e.getValue().forEach(blocks::add);
      blocks.sort(Comparator.comparing(b -> b.block, SegmentLayout.BLOCK_ORDER));
      TreeSet<String> names = new TreeSet<>();
      blocks.forEach(b -> names.addAll(b.sizes.keySet()));
      List<String> strata = List.copyOf(names);
      long[][] sizes = new long[strata.size()][blocks.size()];
      for (int b = 0; b < blocks.size(); b++) {
        for (int s = 0; s < strata.size(); s++) {
          sizes[s][b] = blocks.get(b).sizes.getOrDefault(strata.get(s), 0L);
        }
      }
      LabelSizes label = new LabelSizes(blocks.stream().mapToLong(b -> b.block).toArray(), strata, sizes);
      for (int c = 0; c < newChunks(spec).length; c++) {
        out.output(KV.of(KV.of(e.getKey(), c), label));
      }
    }
  }

  /** One chunk of replicates of one label: each replicate's draws per stratum, allocated to the blocks. */
  private static final class AllocateFn
      extends DoFn<KV<KV<String, Integer>, LabelSizes>, KV<KV<String, Long>, KV<Integer, Allocation>>> {
    private final Spec spec;

    AllocateFn(Spec spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element KV<KV<String, Integer>, LabelSizes> e,
        OutputReceiver<KV<KV<String, Long>, KV<Integer, Allocation>>> out) {
      LabelSizes label = e.getValue();
      int chunk = e.getKey().getValue();
      int chunks = newChunks(spec).length;
      int blocks = label.blocks.length;
      Map<Integer, Integer> partsOf = new HashMap<>();
      for (long block : label.blocks) {
        partsOf.merge(SegmentLayout.segmentOfBlock(block), 1, Integer::sum);
      }
      int[][][] byBlock = new int[blocks][spec.replicates + 1][];
      for (int r = chunk == 0 ? chunks : chunk; r <= spec.replicates; r += chunks) {
        int[][] counts = BlockDraws.allocate(spec.seed, r, label.sizes);
        for (int b = 0; b < blocks; b++) {
          byBlock[b][r] = new int[label.strata.size()];
          for (int s = 0; s < label.strata.size(); s++) {
            byBlock[b][r][s] = counts[s][b];
          }
        }
      }
      for (int b = 0; b < blocks; b++) {
        out.output(KV.of(KV.of(e.getKey().getKey(), label.blocks[b]), KV.of(chunk,
            new Allocation(label.strata, byBlock[b], partsOf.get(SegmentLayout.segmentOfBlock(label.blocks[b]))))));
      }
    }
  }

  /** A block's allocations from every chunk, as one table by replicate. */
  private static final class JoinChunksFn
      extends DoFn<KV<KV<String, Long>, Iterable<KV<Integer, Allocation>>>, KV<KV<String, Long>, Allocation>> {
    private final Spec spec;

    JoinChunksFn(Spec spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element KV<KV<String, Long>, Iterable<KV<Integer, Allocation>>> e,
        OutputReceiver<KV<KV<String, Long>, Allocation>> out) {
      int[][] counts = new int[spec.replicates + 1][];
      List<String> strata = null;
      int parts = 0;
      for (KV<Integer, Allocation> part : e.getValue()) {
        strata = part.getValue().strata;
        parts = part.getValue().parts;
        for (int r = 1; r <= spec.replicates; r++) {
          if (part.getValue().counts[r] != null) {
            counts[r] = part.getValue().counts[r];
          }
        }
      }
      out.output(KV.of(e.getKey(), new Allocation(strata, counts, parts)));
    }
  }

  /** Where a segment's per-replicate histograms come from: its one block's rows, or its blocks' histograms merged. */
  interface SegmentSource extends Serializable {
    String label();

    int segment();

    /** The replicates this source holds (0: the sample itself). */
    int[] replicates(Spec spec);

    /** Replicate r's histogram of every curve with rows here: the whole set's, and the groups' when {@code withGroups}. */
    Map<SubgroupKey, ScoreHistogram> histograms(Spec spec, int replicate, boolean withGroups);
  }

  /**
   * One label's rows of one score block and each row's weight (multiplicity) in some replicates: the one
   * thing the two units differ in. The passes read only {@link #replicates} and {@link #weights}.
   */
  abstract static class WeightedBlock implements SegmentSource {
    private static final long serialVersionUID = 1L;
    final String label;
    final long blockId;
    final int segment;
    final RowBlock block;
    /** Blocks its segment is split into: one, or a tie's parts whose histograms are merged. */
    final int parts;

    WeightedBlock(String label, long blockId, RowBlock block, int parts) {
      this.label = label;
      this.blockId = blockId;
      this.segment = SegmentLayout.segmentOfBlock(blockId);
      this.block = block;
      this.parts = parts;
    }

    /** Multiplicity of each row in replicate r (0: the sample itself), r one of {@link #replicates}. */
    abstract int[] weights(long seed, int replicate);

    /** The replicates whose weights this block holds or draws (0: the sample itself). */
    @Override
    public abstract int[] replicates(Spec spec);

    /** The curves' keys: the whole set's, then each grouping's groups by code (built once per block). */
    private transient SubgroupKey[][] keys;

    private SubgroupKey[][] keys(Spec spec) {
      if (keys == null) {
        keys = new SubgroupKey[spec.groupings.size()][];
        for (int g = 0; g < keys.length; g++) {
          List<String> names = block.groupNames(g);
          keys[g] = new SubgroupKey[names.size()];
          for (int k = 0; k < names.size(); k++) {
            keys[g][k] = new SubgroupKey(label, spec.groupings.get(g).name(), names.get(k));
          }
        }
      }
      return keys;
    }

    @Override
    public String label() {
      return label;
    }

    @Override
    public int segment() {
      return segment;
    }

    @Override
    public Map<SubgroupKey, ScoreHistogram> histograms(Spec spec, int replicate, boolean withGroups) {
      return histograms(spec, weights(spec.seed, replicate), withGroups);
    }

    /** The histogram of every curve of this block under weights w: the whole set's, and each group's when {@code withGroups}. */
    Map<SubgroupKey, ScoreHistogram> histograms(Spec spec, int[] w, boolean withGroups) {
      SubgroupKey[][] groupKeys = withGroups ? keys(spec) : new SubgroupKey[0][];
      SortedScores.Builder whole = new SortedScores.Builder();
      SortedScores.Builder[][] groups = new SortedScores.Builder[groupKeys.length][];
      for (int g = 0; g < groups.length; g++) {
        groups[g] = new SortedScores.Builder[groupKeys[g].length];
      }
      for (int i = 0; i < block.size(); i++) {
        if (w[i] == 0) {
          continue;
        }
        double score = block.score(i);
        boolean positive = block.positive(i);
        whole.add(score, positive, w[i]);
        for (int g = 0; g < groups.length; g++) {
          int code = block.groupCode(g, i);
          if (code >= 0) {
            if (groups[g][code] == null) {
              groups[g][code] = new SortedScores.Builder();
            }
            groups[g][code].add(score, positive, w[i]);
          }
        }
      }
      Map<SubgroupKey, ScoreHistogram> out = new LinkedHashMap<>();
      if (!whole.isEmpty()) {
        out.put(SubgroupKey.whole(label), whole.build());
      }
      for (int g = 0; g < groups.length; g++) {
        for (int k = 0; k < groups[g].length; k++) {
          if (groups[g][k] != null) {
            out.put(groupKeys[g][k], groups[g][k].build());
          }
        }
      }
      return out;
    }

    /**
     * Weighted positives and negatives at or above each curve's threshold in replicate r, without building
     * histograms: {@code threshold} gives the whole set's (row -1) and each (grouping, code)'s threshold.
     */
    Map<SubgroupKey, long[]> countsAtOrAbove(Spec spec, int[] w, java.util.function.Function<SubgroupKey, Double> threshold) {
      SubgroupKey[][] groupKeys = keys(spec);
      SubgroupKey wholeKey = SubgroupKey.whole(label);
      double wholeThreshold = threshold.apply(wholeKey);
      double[][] thresholds = new double[groupKeys.length][];
      long[][][] counts = new long[groupKeys.length][][];
      for (int g = 0; g < groupKeys.length; g++) {
        thresholds[g] = new double[groupKeys[g].length];
        counts[g] = new long[groupKeys[g].length][];
        for (int k = 0; k < groupKeys[g].length; k++) {
          thresholds[g][k] = threshold.apply(groupKeys[g][k]);
        }
      }
      long[] wholeCounts = null;
      for (int i = 0; i < block.size(); i++) {
        if (w[i] == 0) {
          continue;
        }
        double score = block.score(i);
        int column = block.positive(i) ? 0 : 1;
        if (wholeCounts == null) {
          wholeCounts = new long[2];
        }
        if (score >= wholeThreshold) {
          wholeCounts[column] += w[i];
        }
        for (int g = 0; g < groupKeys.length; g++) {
          int code = block.groupCode(g, i);
          if (code >= 0) {
            if (counts[g][code] == null) {
              counts[g][code] = new long[2];
            }
            if (score >= thresholds[g][code]) {
              counts[g][code][column] += w[i];
            }
          }
        }
      }
      Map<SubgroupKey, long[]> out = new LinkedHashMap<>();
      if (wholeCounts != null) {
        out.put(wholeKey, wholeCounts);
      }
      for (int g = 0; g < groupKeys.length; g++) {
        for (int k = 0; k < groupKeys[g].length; k++) {
          if (counts[g][k] != null) {
            out.put(groupKeys[g][k], counts[g][k]);
          }
        }
      }
      return out;
    }
  }

  /** Image-level replicates: a block with its allocation, re-drawing any replicate's weights of its rows. */
  static final class DrawnBlock extends WeightedBlock {
    private static final long serialVersionUID = 1L;
    final Allocation allocation;
    /** Rows of each stratum (allocation order), in block order. */
    final int[][] rowsOfStratum;

    DrawnBlock(String label, long blockId, RowBlock block, Allocation allocation) {
      super(label, blockId, block, allocation.parts);
      this.allocation = allocation;
      List<List<Integer>> rows = new ArrayList<>();
      allocation.strata.forEach(s -> rows.add(new ArrayList<>()));
      // the block's own stratum codes, mapped once to the allocation's (name-ordered) strata
      int[] toAllocation = block.strata().stream().mapToInt(allocation.strata::indexOf).toArray();
      for (int i = 0; i < block.size(); i++) {
        rows.get(toAllocation[block.stratumCode(i)]).add(i);
      }
      this.rowsOfStratum = rows.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray())
          .toArray(int[][]::new);
    }

    @Override
    int[] weights(long seed, int replicate) {
      int[] w = new int[block.size()];
      if (replicate == 0) {
        Arrays.fill(w, 1);
        return w;
      }
      for (int s = 0; s < rowsOfStratum.length; s++) {
        BlockDraws.drawWithin(seed, replicate, blockId, s, rowsOfStratum[s], allocation.counts[replicate][s], w);
      }
      return w;
    }

    @Override
    public int[] replicates(Spec spec) {
      return java.util.stream.IntStream.rangeClosed(0, spec.replicates).toArray();
    }
  }

  private static final class WeightedFn extends DoFn<KV<KV<String, Long>, CoGbkResult>, KV<KV<String, Long>, WeightedBlock>> {
    @ProcessElement
    public void process(@Element KV<KV<String, Long>, CoGbkResult> e,
        OutputReceiver<KV<KV<String, Long>, WeightedBlock>> out) {
      KV<String, Long> key = e.getKey();
      out.output(KV.of(key, new DrawnBlock(key.getKey(), key.getValue(), e.getValue().getOnly(BLOCK),
          e.getValue().getOnly(ALLOCATION))));
    }
  }

  /**
   * Sends a whole segment's block on as its segment's source; a split segment's blocks send their
   * histograms, per replicate, to be merged per (segment, chunk of replicates).
   */
  private static final class ToSegmentsFn extends DoFn<KV<KV<String, Long>, WeightedBlock>, KV<KV<String, Integer>, SegmentSource>> {
    private final Spec spec;

    ToSegmentsFn(Spec spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element KV<KV<String, Long>, WeightedBlock> e, MultiOutputReceiver out) {
      WeightedBlock b = e.getValue();
      KV<String, Integer> segment = KV.of(b.label, b.segment);
      if (b.parts == 1) {
        out.get(WHOLE_SEGMENTS).output(KV.of(segment, b));
        return;
      }
      int chunks = newChunks(spec).length;
      for (int r : b.replicates(spec)) {
        HashMap<SubgroupKey, ScoreHistogram> h = new HashMap<>(b.histograms(spec, r, true));
        if (!h.isEmpty()) {
          out.get(SEGMENT_PARTS).output(KV.of(KV.of(segment, r % chunks), KV.of(r, new PartHistograms(h))));
        }
      }
    }
  }

  /** One block's histograms of one replicate. */
  static final class PartHistograms implements Serializable {
    private static final long serialVersionUID = 1L;
    final HashMap<SubgroupKey, ScoreHistogram> histograms;

    PartHistograms(HashMap<SubgroupKey, ScoreHistogram> histograms) {
      this.histograms = histograms;
    }
  }

  /** A split segment's histograms for the replicates of one chunk, merged over its blocks. */
  static final class MergedSegment implements SegmentSource {
    private static final long serialVersionUID = 1L;
    private final String label;
    private final int segment;
    private final TreeMap<Integer, Map<SubgroupKey, ScoreHistogram>> byReplicate;

    MergedSegment(String label, int segment, TreeMap<Integer, Map<SubgroupKey, ScoreHistogram>> byReplicate) {
      this.label = label;
      this.segment = segment;
      this.byReplicate = byReplicate;
    }

    @Override
    public String label() {
      return label;
    }

    @Override
    public int segment() {
      return segment;
    }

    @Override
    public int[] replicates(Spec spec) {
      return byReplicate.keySet().stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public Map<SubgroupKey, ScoreHistogram> histograms(Spec spec, int replicate, boolean withGroups) {
      Map<SubgroupKey, ScoreHistogram> all = byReplicate.getOrDefault(replicate, Map.of());
      if (withGroups) {
        return all;
      }
      SubgroupKey whole = SubgroupKey.whole(label);
      return all.containsKey(whole) ? Map.of(whole, all.get(whole)) : Map.of();
    }
  }

  private static final class MergePartsFn
      extends DoFn<KV<KV<KV<String, Integer>, Integer>, Iterable<KV<Integer, PartHistograms>>>, KV<KV<String, Integer>, SegmentSource>> {
    @ProcessElement
    public void process(@Element KV<KV<KV<String, Integer>, Integer>, Iterable<KV<Integer, PartHistograms>>> e,
        OutputReceiver<KV<KV<String, Integer>, SegmentSource>> out) {
      Map<Integer, Map<SubgroupKey, List<ScoreHistogram>>> parts = new HashMap<>();
      for (KV<Integer, PartHistograms> part : e.getValue()) {
        Map<SubgroupKey, List<ScoreHistogram>> curves = parts.computeIfAbsent(part.getKey(), r -> new HashMap<>());
        part.getValue().histograms.forEach((key, h) -> curves.computeIfAbsent(key, k -> new ArrayList<>()).add(h));
      }
      TreeMap<Integer, Map<SubgroupKey, ScoreHistogram>> merged = new TreeMap<>();
      parts.forEach((r, curves) -> {
        Map<SubgroupKey, ScoreHistogram> m = new HashMap<>();
        curves.forEach((key, hs) -> m.put(key, ScoreHistogram.mergeAll(hs)));
        merged.put(r, m);
      });
      KV<String, Integer> segment = e.getKey().getKey();
      out.output(KV.of(segment, new MergedSegment(segment.getKey(), segment.getValue(), merged)));
    }
  }

  /** Each replicate's curve summaries of one segment, one element per chunk of replicates. */
  private static final class SummarizeFn extends DoFn<KV<KV<String, Integer>, SegmentSource>, KV<KV<String, Integer>, KV<Integer, ByCurve>>> {
    private final Spec spec;

    SummarizeFn(Spec spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element KV<KV<String, Integer>, SegmentSource> e,
        OutputReceiver<KV<KV<String, Integer>, KV<Integer, ByCurve>>> out) {
      SegmentSource b = e.getValue();
      ByCurve[] byChunk = newChunks(spec);
      for (int r : b.replicates(spec)) {
        ByCurve chunk = byChunk[r % byChunk.length];
        b.histograms(spec, r, true).forEach((key, h) ->
            chunk.values.put(new ReplicateKey(r, key), SegmentSummary.of(h, 0)));
      }
      for (int c = 0; c < byChunk.length; c++) {
        if (!byChunk[c].values.isEmpty()) {
          out.output(KV.of(KV.of(b.label(), c), KV.of(b.segment(), byChunk[c])));
        }
      }
    }
  }

  private static ByCurve[] newChunks(Spec spec) {
    ByCurve[] chunks = new ByCurve[Math.min(Bootstrap.CHUNKS, spec.replicates + 1)];
    for (int c = 0; c < chunks.length; c++) {
      chunks[c] = new ByCurve();
    }
    return chunks;
  }

  /** Segments of one chunk's curves, each ordered from the highest segment down. */
  private static <T> Map<ReplicateKey, List<KV<Integer, T>>> bySegment(Iterable<KV<Integer, ByCurve>> parts) {
    Map<ReplicateKey, List<KV<Integer, T>>> out = new HashMap<>();
    for (KV<Integer, ByCurve> part : parts) {
      part.getValue().values.forEach((k, v) -> {
        @SuppressWarnings("unchecked")
        T value = (T) v;
        out.computeIfAbsent(k, x -> new ArrayList<>()).add(KV.of(part.getKey(), value));
      });
    }
    out.replaceAll((k, l) -> SegmentCuts.highestFirst(l));
    return out;
  }

  /** One chunk's curves walked: per block, its offsets; per chunk, each curve's totals and AUC. */
  private static final class WalkFn extends DoFn<KV<KV<String, Integer>, Iterable<KV<Integer, ByCurve>>>,
      KV<KV<String, Integer>, ByCurve>> {
    @ProcessElement
    public void process(ProcessContext c) {
      String label = c.element().getKey().getKey();
      Map<Integer, ByCurve> offsetsBySegment = new TreeMap<>();
      ByCurve curves = new ByCurve();
      Map<ReplicateKey, List<KV<Integer, SegmentSummary>>> all = bySegment(c.element().getValue());
      all.forEach((key, segments) -> {
        SegmentedCurve curve = SegmentedCurve.walk(segments.stream().map(KV::getValue).toList());
        for (int i = 0; i < segments.size(); i++) {
          offsetsBySegment.computeIfAbsent(segments.get(i).getKey(), s -> new ByCurve()).values
              .put(key, curve.offsets().get(i));
        }
        curves.values.put(key, new double[] {curve.positives(), curve.negatives(), curve.auc()});
      });
      offsetsBySegment.forEach((segment, offsets) -> c.output(KV.of(KV.of(label, segment), offsets)));
      c.output(CURVES, KV.of(c.element().getKey(), curves));
    }
  }

  private static final class ScanFn extends DoFn<KV<KV<String, Integer>, CoGbkResult>, KV<KV<String, Integer>, KV<Integer, ByCurve>>> {
    private final Spec spec;

    ScanFn(Spec spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element KV<KV<String, Integer>, CoGbkResult> e,
        OutputReceiver<KV<KV<String, Integer>, KV<Integer, ByCurve>>> out) {
      String label = e.getKey().getKey();
      int segment = e.getKey().getValue();
      CurvePointRule rule = spec.ruleFor(label).pointRule();
      if (rule == null) {
        return; // a fixed threshold: nothing to choose
      }
      Map<ReplicateKey, Object> offsets = new HashMap<>();
      for (ByCurve o : e.getValue().getAll(OFFSET)) {
        offsets.putAll(o.values);
      }
      ByCurve[] byChunk = newChunks(spec);
      boolean groupsChoose = spec.scope == ThresholdScope.PER_GROUP; // else only the whole set chooses
      for (SegmentSource b : e.getValue().getAll(SOURCE)) { // one, or a split segment's chunks
        for (int r : b.replicates(spec)) {
          ByCurve chunk = byChunk[r % byChunk.length];
          b.histograms(spec, r, groupsChoose).forEach((key, h) -> {
            if (spec.ownThreshold(key)) {
              ReplicateKey k = new ReplicateKey(r, key);
              chunk.values.put(k, SegmentScan.of(h, (SegmentOffsets) offsets.get(k), rule, 0));
            }
          });
        }
      }
      for (int c = 0; c < byChunk.length; c++) {
        if (!byChunk[c].values.isEmpty()) {
          out.output(KV.of(KV.of(label, c), KV.of(segment, byChunk[c])));
        }
      }
    }
  }

  private static final class ChooseFn extends DoFn<KV<KV<String, Integer>, Iterable<KV<Integer, ByCurve>>>, KV<KV<String, Integer>, ByCurve>> {
    private final Spec spec;

    ChooseFn(Spec spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element KV<KV<String, Integer>, Iterable<KV<Integer, ByCurve>>> e,
        OutputReceiver<KV<KV<String, Integer>, ByCurve>> out) {
      CurvePointRule rule = spec.ruleFor(e.getKey().getKey()).pointRule();
      ByCurve thresholds = new ByCurve();
      Map<ReplicateKey, List<KV<Integer, SegmentScan>>> all = bySegment(e.getValue());
      all.forEach((key, segments) -> thresholds.values.put(key,
          SegmentScan.combine(segments.stream().map(KV::getValue).toList(), rule).threshold()));
      out.output(KV.of(e.getKey(), thresholds));
    }
  }

  private static final class CountFn extends DoFn<KV<KV<String, Long>, WeightedBlock>, KV<KV<String, Integer>, ByCurve>> {
    private final Spec spec;
    private final PCollectionView<Map<KV<String, Integer>, ByCurve>> thresholdView;
    private transient Map<KV<String, Integer>, ByCurve> thresholds;

    CountFn(Spec spec, PCollectionView<Map<KV<String, Integer>, ByCurve>> thresholdView) {
      this.spec = spec;
      this.thresholdView = thresholdView;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      if (thresholds == null) { // read once: the Direct runner rebuilds a map view on every read
        thresholds = new HashMap<>(c.sideInput(thresholdView));
      }
      WeightedBlock b = c.element().getValue();
      ByCurve[] byChunk = newChunks(spec);
      for (int r : b.replicates(spec)) {
        int replicate = r;
        int chunk = r % byChunk.length;
        b.countsAtOrAbove(spec, b.weights(spec.seed, r), key -> threshold(replicate, chunk, key)).forEach((key, c2) ->
            byChunk[chunk].values.put(new ReplicateKey(replicate, key), c2));
      }
      for (int k = 0; k < byChunk.length; k++) {
        if (!byChunk[k].values.isEmpty()) {
          c.output(KV.of(KV.of(b.label, k), byChunk[k]));
        }
      }
    }

    /** The curve's own threshold, its label's whole-set one in that replicate, or its label's fixed one. */
    private double threshold(int replicate, int chunk, SubgroupKey key) {
      ThresholdRule rule = spec.ruleFor(key.label());
      if (rule.pointRule() == null) {
        return rule.choose(BinaryCurve.of(new int[0], new double[0])); // the same for any curve
      }
      SubgroupKey chooser = spec.ownThreshold(key) ? key : SubgroupKey.whole(key.label());
      Double t = thresholds.get(KV.of(key.label(), chunk)).get(new ReplicateKey(replicate, chooser));
      return t;
    }
  }

  /** Adds the counts of two blocks' chunks. */
  private static final class SumCountsFn extends Combine.BinaryCombineFn<ByCurve> {
    @Override
    public ByCurve apply(ByCurve left, ByCurve right) {
      ByCurve out = new ByCurve();
      out.values.putAll(left.values);
      right.values.forEach((k, v) -> out.values.merge(k, v, (a, b) -> {
        long[] x = (long[]) a;
        long[] y = (long[]) b;
        return new long[] {x[0] + y[0], x[1] + y[1]};
      }));
      return out;
    }
  }

  /** One chunk of replicates of one label: AUC, TPR, FPR of every curve and the TPR gap of every group. */
  private static final class ReplicateMetricsFn extends DoFn<KV<KV<String, Integer>, CoGbkResult>, KV<String, ChunkValues>> {
    private final Spec spec;

    ReplicateMetricsFn(Spec spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element KV<KV<String, Integer>, CoGbkResult> e, OutputReceiver<KV<String, ChunkValues>> out) {
      ByCurve curves = e.getValue().getOnly(CURVE);
      ByCurve counts = e.getValue().getOnly(COUNTS);
      ChunkValues values = new ChunkValues();
      // per replicate and grouping, the groups' counts for the gaps
      Map<KV<Integer, String>, List<TprGaps.GroupCounts>> groups = new TreeMap<>(
          Comparator.comparing((KV<Integer, String> k) -> k.getKey()).thenComparing(KV::getValue));
      Map<KV<Integer, String>, List<SubgroupKey>> members = new HashMap<>();
      curves.values.forEach((k, v) -> {
        double[] totals = (double[]) v;
        long positives = (long) totals[0];
        long negatives = (long) totals[1];
        long[] c = counts.get(k);
        ConfusionCounts cc = new ConfusionCounts(c[0], c[1], positives - c[0], negatives - c[1]);
        values.put(k.key(), 0, k.replicate(), totals[2]);
        values.put(k.key(), 1, k.replicate(), cc.tpr());
        values.put(k.key(), 2, k.replicate(), cc.fpr());
        if (!k.key().isWhole()) {
          KV<Integer, String> g = KV.of(k.replicate(), k.key().grouping());
          groups.computeIfAbsent(g, x -> new ArrayList<>()).add(new TprGaps.GroupCounts(k.key().group(), positives, c[0]));
          members.computeIfAbsent(g, x -> new ArrayList<>()).add(k.key());
        }
      });
      groups.forEach((g, gc) -> {
        List<TprGaps.Gap> gaps = TprGaps.of(gc, spec.gapRules.ruleFor(g.getValue()));
        for (int i = 0; i < gaps.size(); i++) {
          values.put(members.get(g).get(i), 3, g.getKey(), gaps.get(i).gap);
        }
      });
      out.output(KV.of(e.getKey().getKey(), values));
    }
  }

  private static final class PercentileFn extends DoFn<KV<String, Iterable<ChunkValues>>, MetricInterval> {
    private final Spec spec;

    PercentileFn(Spec spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<ChunkValues>> e, OutputReceiver<MetricInterval> out) {
      Map<KV<SubgroupKey, Integer>, double[]> byCell = new HashMap<>();
      java.util.Set<KV<SubgroupKey, Integer>> inSample = new java.util.HashSet<>();
      for (ChunkValues chunk : e.getValue()) { // one pass: Flink's grouped values are not re-iterable
        chunk.values.forEach((cell, byReplicate) -> {
          if (byReplicate.containsKey(0)) {
            inSample.add(cell);
          }
          double[] v = byCell.computeIfAbsent(cell, x -> {
            // a curve absent from a replicate (no row of the group drawn) has no value there, as a NaN would
            double[] nan = new double[spec.replicates + 1];
            Arrays.fill(nan, Double.NaN);
            return nan;
          });
          byReplicate.forEach((r, value) -> v[r] = value);
        });
      }
      byCell.forEach((cell, v) -> {
        if (!inSample.contains(cell)) {
          return;
        }
        SubgroupKey key = cell.getKey();
        double[] replicates = Arrays.copyOfRange(v, 1, v.length);
        out.output(MetricInterval.newBuilder().setLabel(key.label()).setAttribute(key.grouping())
            .setGroup(key.group()).setMetric(METRICS[cell.getValue()]).setEstimate(MetricRecords.orNull(v[0]))
            .setLower(MetricRecords.orNull(Quantiles.linear(replicates, (1 - spec.level) / 2)))
            .setUpper(MetricRecords.orNull(Quantiles.linear(replicates, (1 + spec.level) / 2)))
            .setLevel(spec.level).setReplicates(spec.replicates).build());
      });
    }
  }
}
