package org.chexaudit.transforms.io;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.chexaudit.transforms.grouping.LiftedCount;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PDone;

/**
 * Avro files whose content depends only on the set of records, not on how the runner bundled them: the
 * number of shards is {@code ceil(count / recordsPerShard)}, a record's shard is a hash of its key
 * modulo that number, and each shard's records are written sorted by key, as
 * {@code <prefix>-SSSSS-of-NNNNN.avro}. Two runs over the same records (on any runner, at any
 * parallelism) give the same files record for record, so a reader that streams them in file order sees
 * the same order. A shard is sorted in its worker's memory ({@code recordsPerShard} records); a retried
 * shard rewrites the file of the same name. No record at all gives one empty shard, as {@code AvroIO}
 * does.
 */
public final class SortedAvroShards<T extends SpecificRecordBase> extends PTransform<PCollection<T>, PDone> {
  private final Class<T> type;
  private final SerializableFunction<T, String> key;
  private final String prefix;
  private final long recordsPerShard;

  private SortedAvroShards(Class<T> type, SerializableFunction<T, String> key, String prefix, long recordsPerShard) {
    this.type = type;
    this.key = key;
    this.prefix = prefix;
    this.recordsPerShard = recordsPerShard;
  }

  /** Writes records of {@code type}, sorted by {@code key}, to {@code prefix}-SSSSS-of-NNNNN.avro (any Beam path). */
  public static <T extends SpecificRecordBase> SortedAvroShards<T> to(Class<T> type,
      SerializableFunction<T, String> key, String prefix, long recordsPerShard) {
    if (recordsPerShard < 1) {
      throw new IllegalArgumentException("SortedAvroShards: recordsPerShard must be >= 1, got " + recordsPerShard);
    }
    return new SortedAvroShards<>(type, key, prefix, recordsPerShard);
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

  @Override
  public PDone expand(PCollection<T> records) {
    PCollectionView<Long> count = records.apply("Count", LiftedCount.globally()).apply("CountView", View.asSingleton());
    records
        .apply("Deal", ParDo.of(new DealFn<>(key, recordsPerShard, count)).withSideInputs(count))
        .setCoder(KvCoder.of(VarIntCoder.of(), records.getCoder()))
        .apply("GroupShards", GroupByKey.create())
        .apply("WriteShards", ParDo.of(new WriteFn<>(type, key, prefix, recordsPerShard, count)).withSideInputs(count));
    records.getPipeline()
        .apply("Once", Create.of(0))
        .apply("WriteEmpty", ParDo.of(new EmptyFn<>(type, prefix, count)).withSideInputs(count));
    return PDone.in(records.getPipeline());
  }

  private static final class DealFn<T> extends DoFn<T, KV<Integer, T>> {
    private final SerializableFunction<T, String> key;
    private final long recordsPerShard;
    private final PCollectionView<Long> count;

    DealFn(SerializableFunction<T, String> key, long recordsPerShard, PCollectionView<Long> count) {
      this.key = key;
      this.recordsPerShard = recordsPerShard;
      this.count = count;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      int shards = shards(c.sideInput(count), recordsPerShard);
      c.output(KV.of(shardOf(key.apply(c.element()), shards), c.element()));
    }
  }

  private static final class WriteFn<T extends SpecificRecordBase> extends DoFn<KV<Integer, Iterable<T>>, Void> {
    private final Class<T> type;
    private final SerializableFunction<T, String> key;
    private final String prefix;
    private final long recordsPerShard;
    private final PCollectionView<Long> count;

    WriteFn(Class<T> type, SerializableFunction<T, String> key, String prefix, long recordsPerShard,
        PCollectionView<Long> count) {
      this.type = type;
      this.key = key;
      this.prefix = prefix;
      this.recordsPerShard = recordsPerShard;
      this.count = count;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      List<T> rows = new ArrayList<>();
      c.element().getValue().forEach(rows::add);
      rows.sort(Comparator.comparing(key::apply));
      int shards = shards(c.sideInput(count), recordsPerShard);
      AvroPart.write(type, fileName(prefix, c.element().getKey(), shards), rows);
    }
  }

  private static final class EmptyFn<T extends SpecificRecordBase> extends DoFn<Integer, Void> {
    private final Class<T> type;
    private final String prefix;
    private final PCollectionView<Long> count;

    EmptyFn(Class<T> type, String prefix, PCollectionView<Long> count) {
      this.type = type;
      this.prefix = prefix;
      this.count = count;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      if (c.sideInput(count) == 0) {
        AvroPart.write(type, fileName(prefix, 0, 1), List.of());
      }
    }
  }
}
