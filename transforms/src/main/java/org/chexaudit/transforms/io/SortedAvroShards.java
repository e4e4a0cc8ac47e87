package org.chexaudit.transforms.io;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;

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
  private final ShardLayout layout;
  /** The destination of each element of the bounding collection, or null to count the records. */
  private final @Nullable PCollection<String> countsOf;

  private SortedAvroShards(Class<T> type, SerializableFunction<T, String> key,
      SerializableFunction<T, String> destination, ShardLayout layout, @Nullable PCollection<String> countsOf) {
    this.type = type;
    this.key = key;
    this.destination = destination;
    this.layout = layout;
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
    return new SortedAvroShards<>(type, key, destination, ShardLayout.of(prefixes, recordsPerShard), null);
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
    return new SortedAvroShards<>(type, key, destination, layout, bound);
  }

  @Override
  public PCollection<KV<String, Long>> expand(PCollection<T> records) {
    PCollection<String> counted = countsOf != null ? countsOf
        : records.apply("Destinations", MapElements.into(TypeDescriptors.strings()).via(destination))
            .setCoder(StringUtf8Coder.of());
    PCollectionView<Map<String, Long>> counts = ShardLayout.counts(counted);
    PCollectionTuple writer = layout.deal(records, key, destination, counts)
        .apply("GroupShards", GroupByKey.create())
        .apply("WriteShards", ParDo.of(new WriteFn<>(type, key, layout, counts))
            .withSideInputs(counts).withOutputTags(ShardLayout.WRITTEN, TupleTagList.of(ShardLayout.FILES)));
    return layout.withEmptyShards(writer, type, counts);
  }

  /** Writes each shard's records sorted by key; outputs its record count and its file's name. */
  private static final class WriteFn<T extends SpecificRecordBase>
      extends DoFn<KV<KV<String, Integer>, Iterable<T>>, KV<String, Long>> {
    private final Class<T> type;
    private final SerializableFunction<T, String> key;
    private final ShardLayout layout;
    private final PCollectionView<Map<String, Long>> counts;

    WriteFn(Class<T> type, SerializableFunction<T, String> key, ShardLayout layout,
        PCollectionView<Map<String, Long>> counts) {
      this.type = type;
      this.key = key;
      this.layout = layout;
      this.counts = counts;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      List<T> rows = new ArrayList<>();
      c.element().getValue().forEach(rows::add);
      rows.sort(Comparator.comparing(key::apply));
      String dest = c.element().getKey().getKey();
      String file = layout.file(dest, c.element().getKey().getValue(), layout.shards(dest, c.sideInput(counts)));
      AvroPart.write(type, file, rows);
      c.output(KV.of(dest, (long) rows.size()));
      c.output(ShardLayout.FILES, file);
    }
  }
}
