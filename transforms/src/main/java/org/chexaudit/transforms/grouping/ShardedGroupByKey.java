package org.chexaudit.transforms.grouping;

import static org.chexaudit.core.Checks.checkArgument;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * A {@link GroupByKey} whose shuffle is keyed by one of {@code shards} buckets of the key, not by the key:
 * the same output (each key once, with all its values), but the values of a bucket's keys arrive at one
 * worker together and are regrouped there in memory.
 *
 * <p>Why: the Direct runner processes one bundle per shuffle key in every step after a grouping and pays
 * a fixed cost per bundle (it re-translates each ParDo and walks its watermarks), which made a few
 * hundred per-subgroup keys cost more than the data (about 70 ms of wall time per key in
 * {@code metrics}). With a few buckets per worker there it pays that cost a few times. On a cluster,
 * many buckets (e.g. 1,024) keep each bucket small. A bucket's values are held in memory while it is
 * regrouped, so it suits keys whose values are bounded (records of bounded size, a bounded count per
 * key). Keys are compared, and buckets chosen, by their encoded bytes, as {@link GroupByKey} does; the
 * key coder must be deterministic. Batch (global window) only.
 *
 * <p>Keys and values cross the shuffle as the bytes their coders made, encoded once before it and decoded
 * once after it. The Direct runner keeps a grouping's values in state that it clones, through the value
 * coder, every time a key receives another bundle, and once more when the key fires: a bucket fed by every
 * upstream bundle was cloned many times over (metrics on 1M rows: 1.7 s of CPU in {@code GroupedScores}'
 * coder there). Cloning bytes is a copy. Other runners encode the bytes as they would have the values.
 */
public final class ShardedGroupByKey<K, V> extends PTransform<PCollection<KV<K, V>>, PCollection<KV<K, Iterable<V>>>> {
  private final int shards;

  private ShardedGroupByKey(int shards) {
    this.shards = shards;
  }

  /** Groups by key through {@code shards} buckets. */
  public static <K, V> ShardedGroupByKey<K, V> create(int shards) {
    checkArgument(shards >= 1, "ShardedGroupByKey: shards must be >= 1, got %s", shards);
    return new ShardedGroupByKey<>(shards);
  }

  @Override
  public PCollection<KV<K, Iterable<V>>> expand(PCollection<KV<K, V>> input) {
    checkArgument(input.getCoder() instanceof KvCoder, "ShardedGroupByKey: input coder must be a KvCoder, got %s",
        input.getCoder());
    KvCoder<K, V> coder = (KvCoder<K, V>) input.getCoder();
    try {
      coder.getKeyCoder().verifyDeterministic();
    } catch (Coder.NonDeterministicException e) {
      throw new IllegalArgumentException("ShardedGroupByKey: the key coder must be deterministic: " + e.getMessage(), e);
    }
    return input
        .apply("ToShards", ParDo.of(new ToShardFn<K, V>(shards, coder.getKeyCoder(), coder.getValueCoder())))
        .setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(ByteArrayCoder.of(), ByteArrayCoder.of())))
        .apply("GroupShards", GroupByKey.create())
        .apply("SplitShards", ParDo.of(new SplitShardFn<K, V>(coder.getKeyCoder(), coder.getValueCoder())))
        .setCoder(KvCoder.of(coder.getKeyCoder(), IterableCoder.of(coder.getValueCoder())));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("shards", shards));
  }

  /** The bucket of a key: of its encoded bytes, so the same on every worker whatever its hashCode. */
  static int shardOf(byte[] encodedKey, int shards) {
    return Math.floorMod(Arrays.hashCode(encodedKey) * 0x9E3779B9, shards);
  }

  private static <T> byte[] encode(Coder<T> coder, T value) {
    try {
      return CoderUtils.encodeToByteArray(coder, value);
    } catch (CoderException e) {
      throw new IllegalStateException("cannot encode " + value, e);
    }
  }

  private static <T> T decode(Coder<T> coder, byte[] bytes) {
    try {
      return CoderUtils.decodeFromByteArray(coder, bytes);
    } catch (CoderException e) {
      throw new IllegalStateException("cannot decode a grouped record with " + coder, e);
    }
  }

  /** Each record as (bucket, (key bytes, value bytes)). */
  private static final class ToShardFn<K, V> extends DoFn<KV<K, V>, KV<Integer, KV<byte[], byte[]>>> {
    private final int shards;
    private final Coder<K> keyCoder;
    private final Coder<V> valueCoder;

    ToShardFn(int shards, Coder<K> keyCoder, Coder<V> valueCoder) {
      this.shards = shards;
      this.keyCoder = keyCoder;
      this.valueCoder = valueCoder;
    }

    @ProcessElement
    public void process(@Element KV<K, V> e, OutputReceiver<KV<Integer, KV<byte[], byte[]>>> out) {
      byte[] key = encode(keyCoder, e.getKey());
      out.output(KV.of(shardOf(key, shards), KV.of(key, encode(valueCoder, e.getValue()))));
    }
  }

  /** Regroups one bucket's values by key bytes, keys in order of first arrival, and decodes them. */
  private static final class SplitShardFn<K, V>
      extends DoFn<KV<Integer, Iterable<KV<byte[], byte[]>>>, KV<K, Iterable<V>>> {
    private final Coder<K> keyCoder;
    private final Coder<V> valueCoder;

    SplitShardFn(Coder<K> keyCoder, Coder<V> valueCoder) {
      this.keyCoder = keyCoder;
      this.valueCoder = valueCoder;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<byte[], byte[]>>> shard, OutputReceiver<KV<K, Iterable<V>>> out) {
      Map<EncodedKey, List<byte[]>> byKey = new LinkedHashMap<>();
      for (KV<byte[], byte[]> e : shard.getValue()) {
        byKey.computeIfAbsent(new EncodedKey(e.getKey()), k -> new ArrayList<>()).add(e.getValue());
      }
      for (Map.Entry<EncodedKey, List<byte[]>> group : byKey.entrySet()) {
        List<V> values = new ArrayList<>(group.getValue().size());
        for (byte[] value : group.getValue()) {
          values.add(decode(valueCoder, value));
        }
        out.output(KV.of(decode(keyCoder, group.getKey().bytes), values));
      }
    }
  }

  /** Encoded key bytes with value equality. */
  private static final class EncodedKey {
    final byte[] bytes;
    final int hash;

    EncodedKey(byte[] bytes) {
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof EncodedKey && Arrays.equals(bytes, ((EncodedKey) o).bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
