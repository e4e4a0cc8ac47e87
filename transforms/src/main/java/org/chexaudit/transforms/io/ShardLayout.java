package org.chexaudit.transforms.io;

import java.io.Serializable;
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
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.chexaudit.transforms.grouping.LiftedCount;

/**
 * Where each record of a sharded Avro output goes, decided by the records alone: a destination (e.g. a
 * split) with {@code count} records has {@link #shards(long)} shards, a record's shard is a hash of its key
 * modulo that number, and shard {@code s} of {@code n} is the file {@code <prefix>-SSSSS-of-NNNNN.avro}
 * under the destination's prefix. Shared by {@link SortedAvroShards} and the transforms that write records
 * straight into such shards.
 */
public final class ShardLayout implements Serializable {
  private final Map<String, String> prefixes;
  private final long recordsPerShard;
  private final int minShards;
  private final long minRecordsPerShard;

  private ShardLayout(Map<String, String> prefixes, long recordsPerShard, int minShards, long minRecordsPerShard) {
    this.prefixes = prefixes;
    this.recordsPerShard = recordsPerShard;
    this.minShards = minShards;
    this.minRecordsPerShard = minRecordsPerShard;
  }

  /**
   * Shards of at most {@code recordsPerShard} records, for each destination (a key of {@code prefixes}, in
   * the order given) under its prefix (any Beam path).
   */
  public static ShardLayout of(Map<String, String> prefixes, long recordsPerShard) {
    if (recordsPerShard < 1) {
      throw new IllegalArgumentException("ShardLayout: recordsPerShard must be >= 1, got " + recordsPerShard);
    }
    if (prefixes.isEmpty()) {
      throw new IllegalArgumentException("ShardLayout: at least one destination is needed");
    }
    return new ShardLayout(new LinkedHashMap<>(prefixes), recordsPerShard, 1, 1);
  }

  /**
   * At least {@code shards} shards per destination while each keeps {@code minRecords} records or more:
   * for a writer that works shard by shard, so that a small destination still spreads over the workers.
   */
  public ShardLayout withAtLeast(int shards, long minRecords) {
    if (shards < 1 || minRecords < 1) {
      throw new IllegalArgumentException("ShardLayout: at least " + shards + " shards of " + minRecords
          + " records: both must be >= 1");
    }
    return new ShardLayout(prefixes, recordsPerShard, shards, minRecords);
  }

  /** The destinations and their prefixes, in the order given. */
  public Map<String, String> prefixes() {
    return prefixes;
  }

  /** The shard count for {@code count} records: at least one. */
  public int shards(long count) {
    long bySize = (count + recordsPerShard - 1) / recordsPerShard;
    long bySpread = Math.min(minShards, (count + minRecordsPerShard - 1) / minRecordsPerShard);
    return (int) Math.max(1, Math.max(bySize, bySpread));
  }

  /** The shard count of {@code destination} given every destination's record count. */
  public int shards(String destination, Map<String, Long> counts) {
    return shards(counts.getOrDefault(destination, 0L));
  }

  /** The shard of a record with this key among {@code shards}. */
  public static int shardOf(String key, int shards) {
    return (int) Long.remainderUnsigned(IdHash.of(key), shards);
  }

  /** The file of shard {@code shard} of {@code shards} of {@code destination}. */
  public String file(String destination, int shard, int shards) {
    return fileName(prefixes.get(destination), shard, shards);
  }

  static String fileName(String prefix, int shard, int shards) {
    return String.format("%s-%05d-of-%05d.avro", prefix, shard, shards);
  }

  /** Fails naming the destinations when {@code destination} is none of them. */
  public void checkDestination(String destination) {
    if (!prefixes.containsKey(destination)) {
      throw new IllegalArgumentException("a record's destination '" + destination + "' is none of "
          + prefixes.keySet());
    }
  }

  /** Each destination's record count, from one element per record naming its destination. */
  public static PCollectionView<Map<String, Long>> counts(PCollection<String> destinations) {
    return destinations.apply("Count", LiftedCount.perElement()).apply("CountView", View.asMap());
  }

  /** A shard writer's output of each file's record count, keyed by destination. */
  public static final TupleTag<KV<String, Long>> WRITTEN = new TupleTag<>("ShardLayout.WRITTEN") {};
  /** A shard writer's output of each file it wrote. */
  public static final TupleTag<String> FILES = new TupleTag<>("ShardLayout.FILES") {};

  /**
   * Keys each record by its destination and its shard there ({@code counts}: see {@link #counts}); a
   * destination that is none of the layout's fails the run, naming them.
   */
  public <T> PCollection<KV<KV<String, Integer>, T>> deal(PCollection<T> records, SerializableFunction<T, String> key,
      SerializableFunction<T, String> destination, PCollectionView<Map<String, Long>> counts) {
    return records
        .apply("Deal", ParDo.of(new DealFn<>(this, key, destination, counts)).withSideInputs(counts))
        .setCoder(KvCoder.of(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()), records.getCoder()));
  }

  /**
   * Every shard file's record count, keyed by destination: the writer's {@link #WRITTEN} output, and once
   * its {@link #FILES} are known, an empty file of {@code type} (count 0) for each shard it did not write
   * (a shard no record reached, or a destination without records).
   */
  public <T extends SpecificRecordBase> PCollection<KV<String, Long>> withEmptyShards(PCollectionTuple writer,
      Class<T> type, PCollectionView<Map<String, Long>> counts) {
    KvCoder<String, Long> coder = KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of());
    PCollectionView<List<String>> written = writer.get(FILES).setCoder(StringUtf8Coder.of())
        .apply("FilesView", View.asList());
    PCollection<KV<String, Long>> empty = writer.getPipeline()
        .apply("Once", Create.of(0))
        .apply("WriteEmpty", ParDo.of(new EmptyFn<>(this, type, counts, written)).withSideInputs(counts, written))
        .setCoder(coder);
    return PCollectionList.of(writer.get(WRITTEN).setCoder(coder)).and(empty).apply("Written", Flatten.pCollections());
  }

  private static final class DealFn<T> extends DoFn<T, KV<KV<String, Integer>, T>> {
    private final ShardLayout layout;
    private final SerializableFunction<T, String> key;
    private final SerializableFunction<T, String> destination;
    private final PCollectionView<Map<String, Long>> counts;

    DealFn(ShardLayout layout, SerializableFunction<T, String> key, SerializableFunction<T, String> destination,
        PCollectionView<Map<String, Long>> counts) {
      this.layout = layout;
      this.key = key;
      this.destination = destination;
      this.counts = counts;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      String dest = destination.apply(c.element());
      layout.checkDestination(dest);
      int shards = layout.shards(dest, c.sideInput(counts));
      c.output(KV.of(KV.of(dest, shardOf(key.apply(c.element()), shards)), c.element()));
    }
  }

  private static final class EmptyFn<T extends SpecificRecordBase> extends DoFn<Integer, KV<String, Long>> {
    private final ShardLayout layout;
    private final Class<T> type;
    private final PCollectionView<Map<String, Long>> counts;
    private final PCollectionView<List<String>> written;

    EmptyFn(ShardLayout layout, Class<T> type, PCollectionView<Map<String, Long>> counts,
        PCollectionView<List<String>> written) {
      this.layout = layout;
      this.type = type;
      this.counts = counts;
      this.written = written;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      Set<String> done = new HashSet<>(c.sideInput(written));
      for (String d : layout.prefixes.keySet()) {
        int shards = layout.shards(d, c.sideInput(counts));
        for (int s = 0; s < shards; s++) {
          String file = layout.file(d, s, shards);
          if (!done.contains(file)) {
            AvroPart.write(type, file, List.of());
            c.output(KV.of(d, 0L));
          }
        }
      }
    }
  }
}
