package org.chexaudit.transforms.grouping;

import static org.chexaudit.core.Checks.checkArgument;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        .apply("ToShards", ParDo.of(new ToShardFn<K, V>(shards, coder.getKeyCoder())))
        .setCoder(KvCoder.of(VarIntCoder.of(), coder))
        .apply("GroupShards", GroupByKey.create())
        .apply("SplitShards", ParDo.of(new SplitShardFn<K, V>(coder.getKeyCoder())))
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

  private static <K> byte[] encode(Coder<K> coder, K key) {
    try {
      return CoderUtils.encodeToByteArray(coder, key);
    } catch (CoderException e) {
      throw new IllegalStateException("cannot encode key " + key, e);
    }
  }

  private static final class ToShardFn<K, V> extends DoFn<KV<K, V>, KV<Integer, KV<K, V>>> {
    private final int shards;
    private final Coder<K> keyCoder;

    ToShardFn(int shards, Coder<K> keyCoder) {
      this.shards = shards;
      this.keyCoder = keyCoder;
    }

    @ProcessElement
    public void process(@Element KV<K, V> e, OutputReceiver<KV<Integer, KV<K, V>>> out) {
      out.output(KV.of(shardOf(encode(keyCoder, e.getKey()), shards), e));
    }
  }

  /** Regroups one bucket's values by key, keys in order of first arrival. */
  private static final class SplitShardFn<K, V> extends DoFn<KV<Integer, Iterable<KV<K, V>>>, KV<K, Iterable<V>>> {
    private final Coder<K> keyCoder;

    SplitShardFn(Coder<K> keyCoder) {
      this.keyCoder = keyCoder;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<K, V>>> shard, OutputReceiver<KV<K, Iterable<V>>> out) {
      Map<EncodedKey, KV<K, List<V>>> byKey = new LinkedHashMap<>();
      for (KV<K, V> e : shard.getValue()) {
        byKey.computeIfAbsent(new EncodedKey(encode(keyCoder, e.getKey())), k -> KV.of(e.getKey(), new ArrayList<>()))
            .getValue().add(e.getValue());
      }
      for (KV<K, List<V>> group : byKey.values()) {
        out.output(KV.of(group.getKey(), group.getValue()));
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
