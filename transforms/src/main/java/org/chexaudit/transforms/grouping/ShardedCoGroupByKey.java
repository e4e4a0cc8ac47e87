package org.chexaudit.transforms.grouping;

import static org.chexaudit.core.Checks.checkArgument;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGbkResultSchema;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.transforms.join.UnionCoder;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * {@link CoGroupByKey} through a {@link ShardedGroupByKey}: the same {@link CoGbkResult} per key (built
 * as Beam's is, from the tagged union of the inputs), with the shuffle keyed by {@code shards} buckets
 * of the key. See {@link ShardedGroupByKey} for why and when.
 */
public final class ShardedCoGroupByKey<K> extends PTransform<KeyedPCollectionTuple<K>, PCollection<KV<K, CoGbkResult>>> {
  private final int shards;

  private ShardedCoGroupByKey(int shards) {
    this.shards = shards;
  }

  public static <K> ShardedCoGroupByKey<K> create(int shards) {
    checkArgument(shards >= 1, "ShardedCoGroupByKey: shards must be >= 1, got %s", shards);
    return new ShardedCoGroupByKey<>(shards);
  }

  @Override
  public PCollection<KV<K, CoGbkResult>> expand(KeyedPCollectionTuple<K> input) {
    checkArgument(!input.isEmpty(), "ShardedCoGroupByKey: needs at least one input");
    List<Coder<?>> valueCoders = new ArrayList<>();
    for (KeyedPCollectionTuple.TaggedKeyedPCollection<K, ?> entry : input.getKeyedCollections()) {
      Coder<?> coder = entry.getCollection().getCoder();
      checkArgument(coder instanceof KvCoder, "ShardedCoGroupByKey: input coders must be KvCoders, got %s", coder);
      valueCoders.add(((KvCoder<?, ?>) coder).getValueCoder());
    }
    UnionCoder unionCoder = UnionCoder.of(valueCoders);
    KvCoder<K, RawUnionValue> unionKv = KvCoder.of(input.getKeyCoder(), unionCoder);
    PCollectionList<KV<K, RawUnionValue>> tables = PCollectionList.empty(input.getPipeline());
    int index = 0;
    for (KeyedPCollectionTuple.TaggedKeyedPCollection<K, ?> entry : input.getKeyedCollections()) {
      tables = tables.and(tag(index, entry.getCollection(), unionKv));
      index++;
    }
    CoGbkResultSchema schema = input.getCoGbkResultSchema();
    return tables
        .apply("Flatten", Flatten.pCollections())
        .apply("Group", ShardedGroupByKey.create(shards))
        .apply("ToCoGbkResult", ParDo.of(new ResultFn<K>(schema)))
        .setCoder(KvCoder.of(input.getKeyCoder(), CoGbkResult.CoGbkResultCoder.of(schema, unionCoder)));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("shards", shards));
  }

  private static <K, V> PCollection<KV<K, RawUnionValue>> tag(int index, PCollection<KV<K, V>> in,
      KvCoder<K, RawUnionValue> coder) {
    return in.apply("Tag" + index, ParDo.of(new TagFn<K, V>(index))).setCoder(coder);
  }

  private static final class TagFn<K, V> extends DoFn<KV<K, V>, KV<K, RawUnionValue>> {
    private final int index;

    TagFn(int index) {
      this.index = index;
    }

    @ProcessElement
    public void process(@Element KV<K, V> e, OutputReceiver<KV<K, RawUnionValue>> out) {
      out.output(KV.of(e.getKey(), new RawUnionValue(index, e.getValue())));
    }
  }

  private static final class ResultFn<K> extends DoFn<KV<K, Iterable<RawUnionValue>>, KV<K, CoGbkResult>> {
    private final CoGbkResultSchema schema;

    ResultFn(CoGbkResultSchema schema) {
      this.schema = schema;
    }

    @ProcessElement
    public void process(@Element KV<K, Iterable<RawUnionValue>> e, OutputReceiver<KV<K, CoGbkResult>> out) {
      out.output(KV.of(e.getKey(), new CoGbkResult(schema, e.getValue())));
    }
  }
}
