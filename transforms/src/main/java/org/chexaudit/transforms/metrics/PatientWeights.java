package org.chexaudit.transforms.metrics;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SetCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.chexaudit.transforms.grouping.LiftedCount;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.chexaudit.core.stats.BlockClusterResample;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.core.stats.SegmentLayout;
import org.chexaudit.transforms.coders.JavaSerializationCoder;
import org.chexaudit.transforms.coders.ScoredRowCoder;
import org.chexaudit.transforms.io.IdHash;
import org.chexaudit.transforms.metrics.BlockBootstrap.Allocation;
import org.chexaudit.transforms.metrics.BlockBootstrap.Spec;
import org.chexaudit.transforms.metrics.BlockBootstrap.StratumSizes;
import org.chexaudit.transforms.metrics.BlockBootstrap.WeightedBlock;

/**
 * The row weights of {@link Bootstrap}'s patient-level replicates, as {@link BlockBootstrap}'s score blocks
 * for its passes; no worker holds more than one block of rows, and no record more than one block's rows
 * with the weights of {@link Spec#replicatesPerRecord} replicates.
 *
 * <ol>
 *   <li>Patients are put in patient blocks by a hash of their id ({@link #blockOf}), as many blocks as the
 *       sample has score blocks' worth of rows ({@link #blocks}: about {@link Spec#segmentTarget} rows each),
 *       and counted per block (distinct ids, a combiner: {@link DistinctCountFn}).
 *   <li>Replicate r draws P patients (P = all of them) with replacement in two steps, as the image path
 *       draws rows: the P draws allocated to the patient blocks by their patient counts (one stratum,
 *       {@link BlockBootstrap#allocate}), then each block's share drawn uniformly among its patients sorted
 *       by id ({@link BlockClusterResample#multiplicities}). Given the block counts this is a uniform draw of
 *       P patients with replacement; {@link BlockClusterResample} makes the same draws in memory.
 *   <li>Each patient block's rows (a patient's rows all lie in its block) are joined with the block's
 *       allocation, its patients' multiplicities drawn there, and every row sent, per label, to its score
 *       block ({@link SegmentLayout#blockOf}, as the image path) with its patient's multiplicity in each
 *       replicate of one range of {@link Spec#replicatesPerRecord} replicates; a score block's rows are
 *       gathered per range into a {@link CarriedBlock}, sorted by (score, tie-break) as a histogram is read.
 * </ol>
 * The image path draws a row's weight where the row lies; a patient's rows lie in many score blocks, so
 * here the weights travel with the rows: about rows x labels x replicates bytes in all. One step holds more
 * than a record: {@link BlockBootstrap}'s threshold scan joins a whole segment's records of every range
 * with its offsets, one segment's rows x replicates bytes of weights (bounded by the block size and the
 * replicates, not by the data).
 */
final class PatientWeights
    extends PTransform<PCollection<ScoredRow>, PCollection<KV<KV<String, Long>, WeightedBlock>>> {
  /** The one stratum of the patient draws. */
  static final String PATIENTS = "patients";
  /** The owner of the patient blocks' allocation (label-independent). */
  private static final String OWNER = "";
  private static final TupleTag<ScoredRow> ROWS = new TupleTag<>("rows") {};
  private static final TupleTag<Allocation> ALLOCATION = new TupleTag<>("allocation") {};

  private final Spec spec;
  private final PCollectionView<Map<String, SegmentLayout>> cuts;

  PatientWeights(Spec spec, PCollectionView<Map<String, SegmentLayout>> cuts) {
    this.spec = spec;
    this.cuts = cuts;
  }

  /** Patient blocks for {@code rows} rows: one per {@code target} rows, at least one. */
  static long blocks(long rows, long target) {
    return Math.max(1, (rows + target - 1) / target);
  }

  /** The patient block of {@code patient} among {@code blocks}: its id's stable hash, modulo the blocks. */
  static long blockOf(String patient, long blocks) {
    return Long.remainderUnsigned(IdHash.of(patient), blocks);
  }

  @Override
  public PCollection<KV<KV<String, Long>, WeightedBlock>> expand(PCollection<ScoredRow> rows) {
    PCollectionView<Long> rowCount = rows.apply("CountRows", LiftedCount.globally()).apply("RowCount", View.asSingleton());
    PCollection<KV<Long, ScoredRow>> byBlock = rows
        .apply("KeyByPatientBlock", ParDo.of(new KeyByPatientBlockFn(spec, rowCount)).withSideInputs(rowCount))
        .setCoder(KvCoder.of(VarLongCoder.of(), ScoredRowCoder.of()));
    PCollection<KV<String, StratumSizes>> sizes = byBlock
        .apply("PatientIds", ParDo.of(new PatientIdFn()))
        .setCoder(KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of()))
        .apply("PatientsPerBlock", Combine.perKey(new DistinctCountFn()))
        .apply("ToSizes", ParDo.of(new ToSizesFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), JavaSerializationCoder.of(StratumSizes.class)));
    PCollection<KV<Long, Allocation>> allocations = BlockBootstrap.allocate(sizes, spec)
        .apply("ByPatientBlock", ParDo.of(new ByPatientBlockFn()))
        .setCoder(KvCoder.of(VarLongCoder.of(), JavaSerializationCoder.of(Allocation.class)));
    return KeyedPCollectionTuple.of(ROWS, byBlock).and(ALLOCATION, allocations)
        .apply("JoinAllocations", CoGroupByKey.create())
        .apply("CarryWeights", ParDo.of(new CarryWeightsFn(spec, cuts)).withSideInputs(cuts))
        .setCoder(KvCoder.of(KvCoder.of(BlockBootstrap.BLOCK_KEY, VarIntCoder.of()),
            JavaSerializationCoder.of(CarriedRows.class)))
        .apply("MergeBlocks", Combine.perKey(
            new GatherCombineFn<>(JavaSerializationCoder.of(CarriedRows.class), CarriedRows::concat)))
        .apply("Weighted", ParDo.of(new CarriedBlockFn()))
        .setCoder(KvCoder.of(BlockBootstrap.BLOCK_KEY, JavaSerializationCoder.of(WeightedBlock.class)));
  }

  private static final class KeyByPatientBlockFn extends DoFn<ScoredRow, KV<Long, ScoredRow>> {
    private final Spec spec;
    private final PCollectionView<Long> rowCount;
    private transient long blocks;

    KeyByPatientBlockFn(Spec spec, PCollectionView<Long> rowCount) {
      this.spec = spec;
      this.rowCount = rowCount;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      ScoredRow row = c.element();
      GroupedScoresFn.checkWidth(row, spec.labels);
      if (row.patient() == null) {
        throw new IllegalArgumentException("Bootstrap unit PATIENT: row " + row.id() + " has no patient id");
      }
      if (blocks == 0) {
        blocks = blocks(c.sideInput(rowCount), spec.segmentTarget);
      }
      c.output(KV.of(blockOf(row.patient(), blocks), row));
    }
  }

  private static final class PatientIdFn extends DoFn<KV<Long, ScoredRow>, KV<Long, String>> {
    @ProcessElement
    public void process(@Element KV<Long, ScoredRow> e, OutputReceiver<KV<Long, String>> out) {
      out.output(KV.of(e.getKey(), e.getValue().patient()));
    }
  }

  /**
   * Distinct patients of one patient block: a set of at most the block's ids per key (the blocks are few, so
   * no runner keeps state or timers per patient, as a {@code Distinct} over (block, patient) would).
   */
  static final class DistinctCountFn extends Combine.CombineFn<String, Set<String>, Long> {
    @Override
    public Set<String> createAccumulator() {
      return new HashSet<>();
    }

    @Override
    public Set<String> addInput(Set<String> ids, String id) {
      ids.add(id);
      return ids;
    }

    @Override
    public Set<String> mergeAccumulators(Iterable<Set<String>> accumulators) {
      Set<String> out = new HashSet<>();
      accumulators.forEach(out::addAll);
      return out;
    }

    @Override
    public Long extractOutput(Set<String> ids) {
      return (long) ids.size();
    }

    @Override
    public Coder<Set<String>> getAccumulatorCoder(CoderRegistry registry, Coder<String> input) {
      return SetCoder.of(StringUtf8Coder.of());
    }
  }

  private static final class ToSizesFn extends DoFn<KV<Long, Long>, KV<String, StratumSizes>> {
    @ProcessElement
    public void process(@Element KV<Long, Long> e, OutputReceiver<KV<String, StratumSizes>> out) {
      out.output(KV.of(OWNER, new StratumSizes(e.getKey(), Map.of(PATIENTS, e.getValue()))));
    }
  }

  private static final class ByPatientBlockFn extends DoFn<KV<KV<String, Long>, Allocation>, KV<Long, Allocation>> {
    @ProcessElement
    public void process(@Element KV<KV<String, Long>, Allocation> e, OutputReceiver<KV<Long, Allocation>> out) {
      out.output(KV.of(e.getKey().getValue(), e.getValue()));
    }
  }

  /**
   * One patient block: its patients' multiplicities in every replicate, sent with each row to the row's
   * score block of every label, one range of replicates at a time.
   */
  private static final class CarryWeightsFn
      extends DoFn<KV<Long, CoGbkResult>, KV<KV<KV<String, Long>, Integer>, CarriedRows>> {
    private final Spec spec;
    private final PCollectionView<Map<String, SegmentLayout>> cutView;
    private transient SegmentLayout[] layouts;

    CarryWeightsFn(Spec spec, PCollectionView<Map<String, SegmentLayout>> cutView) {
      this.spec = spec;
      this.cutView = cutView;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      long patientBlock = c.element().getKey();
      List<ScoredRow> rows = new ArrayList<>();
      c.element().getValue().getAll(ROWS).forEach(rows::add);
      if (rows.isEmpty()) {
        return;
      }
      Allocation allocation = c.element().getValue().getOnly(ALLOCATION);
      if (layouts == null) {
        Map<String, SegmentLayout> byLabel = c.sideInput(cutView);
        layouts = spec.labels.stream().map(byLabel::get).toArray(SegmentLayout[]::new);
      }
      // the block's patients sorted by id: the order their draws are made in, whatever order the rows came in
      TreeSet<String> ids = new TreeSet<>();
      rows.forEach(r -> ids.add(r.patient()));
      String[] patients = ids.toArray(String[]::new);
      int n = rows.size();
      int[] patientOf = new int[n];
      long[] tie = new long[n];
      String[][] groupOf = new String[n][spec.groupings.size()];
      for (int i = 0; i < n; i++) {
        ScoredRow row = rows.get(i);
        patientOf[i] = Arrays.binarySearch(patients, row.patient());
        tie[i] = IdHash.of(row.id());
        for (int g = 0; g < spec.groupings.size(); g++) {
          groupOf[i][g] = spec.groupings.get(g).groupOf(row);
        }
      }
      // each row's score block per label, and the rows per score block (to size the records)
      long[][] scoreBlock = new long[spec.labels.size()][n];
      @SuppressWarnings("unchecked")
      Map<Long, Integer>[] rowsPerBlock = new Map[spec.labels.size()];
      for (int l = 0; l < scoreBlock.length; l++) {
        rowsPerBlock[l] = new HashMap<>();
        for (int i = 0; i < n; i++) {
          scoreBlock[l][i] = layouts[l].blockOf(rows.get(i).score(l), tie[i]);
          rowsPerBlock[l].merge(scoreBlock[l][i], 1, Integer::sum);
        }
      }
      int stratum = allocation.strata.indexOf(PATIENTS);
      int perRecord = spec.replicatesPerRecord;
      for (int first = 0; first <= spec.replicates; first += perRecord) {
        int count = Math.min(perRecord, spec.replicates + 1 - first);
        int[][] multiplicity = new int[count][];
        for (int k = 0; k < count; k++) {
          int r = first + k;
          if (r == 0) {
            multiplicity[k] = new int[patients.length];
            Arrays.fill(multiplicity[k], 1);
          } else {
            multiplicity[k] = BlockClusterResample.multiplicities(spec.seed, r, patientBlock, patients.length,
                allocation.counts[r][stratum]);
          }
        }
        int range = first / perRecord;
        for (int l = 0; l < spec.labels.size(); l++) {
          String label = spec.labels.get(l);
          SegmentLayout layout = layouts[l];
          Map<Long, Integer> sizes = rowsPerBlock[l];
          Map<Long, CarriedRows> byScoreBlock = new HashMap<>();
          for (int i = 0; i < n; i++) {
            ScoredRow row = rows.get(i);
            double s = row.score(l);
            long block = scoreBlock[l][i];
            int firstReplicate = first;
            byScoreBlock.computeIfAbsent(block, b -> new CarriedRows(spec.groupings.size(), firstReplicate, count,
                    layout.parts(SegmentLayout.segmentOfBlock(b)), sizes.get(b)))
                .add(s, row.target(l) == 1, tie[i], groupOf[i], multiplicity, patientOf[i]);
          }
          byScoreBlock.forEach((block, carried) -> c.output(KV.of(KV.of(KV.of(label, block), range), carried)));
        }
      }
    }
  }

  /**
   * Rows of one score block with their weights in replicates {@code first .. first + count - 1}: a
   * column of weights per replicate, one byte per row while every weight fits (a patient is drawn more
   * than 255 times in a replicate only with a vanishing probability; the column then widens to ints).
   */
  static final class CarriedRows implements Serializable {
    private static final long serialVersionUID = 1L;
    final RowBlock rows;
    final int first;
    final int parts;
    final WeightColumn[] columns;

    /** An empty block for about {@code capacity} rows and the weights of {@code count} replicates from {@code first}. */
    CarriedRows(int groupings, int first, int count, int parts, int capacity) {
      this(new RowBlock(groupings), first, parts, newColumns(count, capacity));
    }

    private CarriedRows(RowBlock rows, int first, int parts, WeightColumn[] columns) {
      this.rows = rows;
      this.first = first;
      this.parts = parts;
      this.columns = columns;
    }

    private static WeightColumn[] newColumns(int count, int capacity) {
      WeightColumn[] columns = new WeightColumn[count];
      for (int k = 0; k < count; k++) {
        columns[k] = new WeightColumn(capacity);
      }
      return columns;
    }

    /** Adds a row of patient {@code patient}, whose multiplicity in replicate first + k is {@code multiplicity[k][patient]}. */
    void add(double score, boolean positive, long tie, String[] groupOf, int[][] multiplicity, int patient) {
      rows.add(score, positive, tie, "", groupOf);
      for (int k = 0; k < columns.length; k++) {
        columns[k].add(multiplicity[k][patient]);
      }
    }

    /** The rows ordered by (score, tie-break), as a histogram is built, each keeping its weights. */
    CarriedRows sorted() {
      int[] order = rows.order();
      WeightColumn[] sorted = new WeightColumn[columns.length];
      for (int k = 0; k < columns.length; k++) {
        sorted[k] = columns[k].permuted(order);
      }
      return new CarriedRows(rows.permuted(order), first, parts, sorted);
    }

    /** The rows of {@code parts} (one score block, one range of replicates), in order. */
    static CarriedRows concat(List<CarriedRows> parts) {
      CarriedRows head = parts.get(0);
      WeightColumn[] columns = new WeightColumn[head.columns.length];
      for (int k = 0; k < columns.length; k++) {
        int column = k;
        columns[k] = WeightColumn.concat(parts.stream().map(p -> p.columns[column]).toList());
      }
      return new CarriedRows(RowBlock.concat(parts.stream().map(p -> p.rows).toList()), head.first, head.parts,
          columns);
    }
  }

  /** One replicate's weights of a block's rows, in row order. */
  static final class WeightColumn implements Serializable {
    private static final long serialVersionUID = 1L;
    private int n;
    /** Unsigned bytes, until a weight exceeds 255. */
    private byte[] narrow;
    private int[] wide;

    WeightColumn(int capacity) {
      narrow = new byte[Math.max(1, capacity)];
    }

    void add(int weight) {
      if (wide == null && weight > 255) {
        wide = toInts(Math.max(n + 1, narrow.length));
        narrow = null;
      }
      if (wide != null) {
        if (n == wide.length) {
          wide = Arrays.copyOf(wide, 2 * n);
        }
        wide[n++] = weight;
      } else {
        if (n == narrow.length) {
          narrow = Arrays.copyOf(narrow, 2 * n);
        }
        narrow[n++] = (byte) weight;
      }
    }

    /** The weights of {@code parts}, in order. */
    static WeightColumn concat(List<WeightColumn> parts) {
      WeightColumn out = new WeightColumn(parts.stream().mapToInt(c -> c.n).sum());
      for (WeightColumn part : parts) {
        if (out.wide == null && part.wide == null) {
          System.arraycopy(part.narrow, 0, out.narrow, out.n, part.n);
          out.n += part.n;
        } else {
          for (int i = 0; i < part.n; i++) {
            out.add(part.get(i));
          }
        }
      }
      return out;
    }

    /** Weights {@code order[0]}, {@code order[1]}, ... of this column. */
    WeightColumn permuted(int[] order) {
      WeightColumn out = new WeightColumn(order.length);
      if (wide == null) {
        for (int i = 0; i < order.length; i++) {
          out.narrow[i] = narrow[order[i]];
        }
        out.n = order.length;
      } else {
        for (int i : order) {
          out.add(wide[i]);
        }
      }
      return out;
    }

    int get(int i) {
      return wide != null ? wide[i] : narrow[i] & 0xFF;
    }

    int[] toInts() {
      return toInts(n);
    }

    private int[] toInts(int length) {
      int[] out = new int[length];
      if (wide != null) {
        System.arraycopy(wide, 0, out, 0, n);
      } else {
        for (int i = 0; i < n; i++) {
          out[i] = narrow[i] & 0xFF;
        }
      }
      return out;
    }
  }

  /** Patient-level replicates: a score block whose rows carry their patients' multiplicities in a range of replicates. */
  static final class CarriedBlock extends WeightedBlock {
    private static final long serialVersionUID = 1L;
    private final int first;
    private final WeightColumn[] columns;

    CarriedBlock(String label, long blockId, CarriedRows carried) {
      super(label, blockId, carried.rows, carried.parts);
      this.first = carried.first;
      this.columns = carried.columns;
    }

    @Override
    int[] weights(long seed, int replicate) {
      return columns[replicate - first].toInts();
    }

    @Override
    public int[] replicates(Spec spec) {
      return IntStream.range(first, first + columns.length).toArray();
    }
  }

  private static final class CarriedBlockFn
      extends DoFn<KV<KV<KV<String, Long>, Integer>, CarriedRows>, KV<KV<String, Long>, WeightedBlock>> {
    @ProcessElement
    public void process(@Element KV<KV<KV<String, Long>, Integer>, CarriedRows> e,
        OutputReceiver<KV<KV<String, Long>, WeightedBlock>> out) {
      KV<String, Long> block = e.getKey().getKey();
      out.output(KV.of(block, new CarriedBlock(block.getKey(), block.getValue(), e.getValue().sorted())));
    }
  }
}
