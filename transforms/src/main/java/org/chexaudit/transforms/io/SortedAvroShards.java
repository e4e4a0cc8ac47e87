package org.chexaudit.transforms.io;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.chexaudit.transforms.grouping.LiftedCount;

/**
 * Avro files whose content depends only on the set of records, not on how the runner bundled them. Each
 * record goes to a destination (one, or one per value of a function such as the record's split); a
 * destination with {@code count} records has {@code ceil(count / recordsPerShard)} shards, a record's
 * shard is a hash of its key modulo that number, and each shard's records are written sorted by key, as
 * {@code <prefix>-SSSSS-of-NNNNN.avro} with the destination's prefix. Two runs over the same records (on
 * any runner, at any parallelism) give the same files record for record, so a reader that streams them in
 * file order sees the same order. A shard is sorted in its worker's memory ({@code recordsPerShard}
 * records); a retried shard rewrites the file of the same name. Every shard has its file, empty when no
 * record hashed to it (a destination without records gets one empty shard, as {@code AvroIO} does).
 * The output is the number of records written to each file, keyed by destination.
 *
 * <p>{@code count} is the number of records, unless {@link #withCountsOf} names a collection known
 * earlier whose size bounds it (the records a step reads, where the step drops some). The shards cannot
 * be dealt before the count is known: counted from the records themselves, a runner holds every record
 * until the last one has arrived (Flink materialises them and sorts them all after the step that makes
 * them); counted from the step's input, it deals each record as it comes.
 */
public final class SortedAvroShards<T extends SpecificRecordBase>
    extends PTransform<PCollection<T>, PCollection<KV<String, Long>>> {
  private final Class<T> type;
  private final SerializableFunction<T, String> key;
  private final SerializableFunction<T, String> destination;
  /** Destination -> file prefix, in the order the destinations were given. */
  private final Map<String, String> prefixes;
  private final long recordsPerShard;
  /** The destination of each element of the bounding collection, or null to count the records. */
  private final @Nullable PCollection<String> countsOf;

  private SortedAvroShards(Class<T> type, SerializableFunction<T, String> key,
      SerializableFunction<T, String> destination, Map<String, String> prefixes, long recordsPerShard,
      @Nullable PCollection<String> countsOf) {
    this.type = type;
    this.key = key;
    this.destination = destination;
    this.prefixes = prefixes;
    this.recordsPerShard = recordsPerShard;
    this.countsOf = countsOf;
  }

  /** Writes records of {@code type}, sorted by {@code key}, to {@code prefix}-SSSSS-of-NNNNN.avro (any Beam path). */
  public static <T extends SpecificRecordBase> SortedAvroShards<T> to(Class<T> type,
      SerializableFunction<T, String> key, String prefix, long recordsPerShard) {
    return toEach(type, key, (T r) -> "", Map.of("", prefix), recordsPerShard);
  }

  /**
   * Writes each record to the shards of its destination ({@code destination(record)}, a key of
   * {@code prefixes}; another value fails the run), sorted by {@code key}, as
   * {@code prefixes.get(destination)}-SSSSS-of-NNNNN.avro.
   */
  public static <T extends SpecificRecordBase> SortedAvroShards<T> toEach(Class<T> type,
      SerializableFunction<T, String> key, SerializableFunction<T, String> destination, Map<String, String> prefixes,
      long recordsPerShard) {
    if (recordsPerShard < 1) {
      throw new IllegalArgumentException("SortedAvroShards: recordsPerShard must be >= 1, got " + recordsPerShard);
    }
    if (prefixes.isEmpty()) {
      throw new IllegalArgumentException("SortedAvroShards: at least one destination is needed");
    }
    return new SortedAvroShards<>(type, key, destination, new LinkedHashMap<>(prefixes), recordsPerShard, null);
  }

  /**
   * Sizes each destination's shards by how many elements of {@code bound} name it, instead of by its
   * records: a collection complete before the records are, with at least as many elements per
   * destination (e.g. the destinations of the input of the step that makes the records, which may drop
   * some). A destination's shards then hold fewer than {@code recordsPerShard} records by as many as the
   * step dropped.
   */
  public SortedAvroShards<T> withCountsOf(PCollection<String> bound) {
    checkArgumentNotNull(bound, "SortedAvroShards: the bound collection can not be null");
    return new SortedAvroShards<>(type, key, destination, prefixes, recordsPerShard, bound);
  }

  /** The shard count for {@code count} records: at least one. */
  static int shards(long count, long recordsPerShard) {
    return (int) Math.max(1, (count + recordsPerShard - 1) / recordsPerShard);
  }

  /** The shard of a record with this key among {@code shards}. */
  static int shardOf(String key, int shards) {
    return (int) Long.remainderUnsigned(IdHash.of(key), shards);
  }

  static String fileName(String prefix, int shard, int shards) {
    return String.format("%s-%05d-of-%05d.avro", prefix, shard, shards);
  }

  private static final TupleTag<KV<String, Long>> WRITTEN = new TupleTag<>("SortedAvroShards.WRITTEN") {};
  private static final TupleTag<String> FILES = new TupleTag<>("SortedAvroShards.FILES") {};

  @Override
  public PCollection<KV<String, Long>> expand(PCollection<T> records) {
    PCollection<String> counted = countsOf != null ? countsOf
        : records.apply("Destinations", MapElements.into(TypeDescriptors.strings()).via(destination))
            .setCoder(StringUtf8Coder.of());
    PCollectionView<Map<String, Long>> counts = counted
        .apply("Count", LiftedCount.perElement())
        .apply("CountView", View.asMap());
    PCollectionTuple written = records
        .apply("Deal", ParDo.of(new DealFn<>(key, destination, prefixes, recordsPerShard, counts)).withSideInputs(counts))
        .setCoder(KvCoder.of(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()), records.getCoder()))
        .apply("GroupShards", GroupByKey.create())
        .apply("WriteShards", ParDo.of(new WriteFn<>(type, key, prefixes, recordsPerShard, counts))
            .withSideInputs(counts).withOutputTags(WRITTEN, TupleTagList.of(FILES)));
    PCollectionView<List<String>> files = written.get(FILES).setCoder(StringUtf8Coder.of())
        .apply("FilesView", View.asList());
    PCollection<KV<String, Long>> empty = records.getPipeline()
        .apply("Once", Create.of(0))
        .apply("WriteEmpty", ParDo.of(new EmptyFn<>(type, prefixes, recordsPerShard, counts, files))
            .withSideInputs(counts, files));
    KvCoder<String, Long> writtenCoder = KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of());
    return PCollectionList.of(written.get(WRITTEN).setCoder(writtenCoder)).and(empty.setCoder(writtenCoder))
        .apply("Written", Flatten.pCollections());
  }

  /** The shard count of {@code dest}, from the counts side input. */
  private static int shardsOf(String dest, Map<String, Long> counts, long recordsPerShard) {
    return shards(counts.getOrDefault(dest, 0L), recordsPerShard);
  }

  private static final class DealFn<T> extends DoFn<T, KV<KV<String, Integer>, T>> {
    private final SerializableFunction<T, String> key;
    private final SerializableFunction<T, String> destination;
    private final Map<String, String> prefixes;
    private final long recordsPerShard;
    private final PCollectionView<Map<String, Long>> counts;

    DealFn(SerializableFunction<T, String> key, SerializableFunction<T, String> destination,
        Map<String, String> prefixes, long recordsPerShard, PCollectionView<Map<String, Long>> counts) {
      this.key = key;
      this.destination = destination;
      this.prefixes = prefixes;
      this.recordsPerShard = recordsPerShard;
      this.counts = counts;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      String dest = destination.apply(c.element());
      if (!prefixes.containsKey(dest)) {
        throw new IllegalArgumentException("SortedAvroShards: a record's destination '" + dest
            + "' is none of " + prefixes.keySet());
      }
      int shards = shardsOf(dest, c.sideInput(counts), recordsPerShard);
      c.output(KV.of(KV.of(dest, shardOf(key.apply(c.element()), shards)), c.element()));
    }
  }

  /** Writes each shard's records sorted by key; outputs its record count and its file's name. */
  private static final class WriteFn<T extends SpecificRecordBase>
      extends DoFn<KV<KV<String, Integer>, Iterable<T>>, KV<String, Long>> {
    private final Class<T> type;
    private final SerializableFunction<T, String> key;
    private final Map<String, String> prefixes;
    private final long recordsPerShard;
    private final PCollectionView<Map<String, Long>> counts;

    WriteFn(Class<T> type, SerializableFunction<T, String> key, Map<String, String> prefixes, long recordsPerShard,
        PCollectionView<Map<String, Long>> counts) {
      this.type = type;
      this.key = key;
      this.prefixes = prefixes;
      this.recordsPerShard = recordsPerShard;
      this.counts = counts;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      List<T> rows = new ArrayList<>();
      c.element().getValue().forEach(rows::add);
      rows.sort(Comparator.comparing(key::apply));
      String dest = c.element().getKey().getKey();
      String file = fileName(prefixes.get(dest), c.element().getKey().getValue(),
          shardsOf(dest, c.sideInput(counts), recordsPerShard));
      AvroPart.write(type, file, rows);
      c.output(KV.of(dest, (long) rows.size()));
      c.output(FILES, file);
    }
  }

  /** Writes an empty file for each shard no record was dealt to, once the others are written. */
  private static final class EmptyFn<T extends SpecificRecordBase> extends DoFn<Integer, KV<String, Long>> {
    private final Class<T> type;
    private final Map<String, String> prefixes;
    private final long recordsPerShard;
    private final PCollectionView<Map<String, Long>> counts;
    private final PCollectionView<List<String>> files;

    EmptyFn(Class<T> type, Map<String, String> prefixes, long recordsPerShard,
        PCollectionView<Map<String, Long>> counts, PCollectionView<List<String>> files) {
      this.type = type;
      this.prefixes = prefixes;
      this.recordsPerShard = recordsPerShard;
      this.counts = counts;
      this.files = files;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      Set<String> written = new HashSet<>(c.sideInput(files));
      for (Map.Entry<String, String> d : prefixes.entrySet()) {
        int shards = shardsOf(d.getKey(), c.sideInput(counts), recordsPerShard);
        for (int s = 0; s < shards; s++) {
          String file = fileName(d.getValue(), s, shards);
          if (!written.contains(file)) {
            AvroPart.write(type, file, List.of());
            c.output(KV.of(d.getKey(), 0L));
          }
        }
      }
    }
  }
}
