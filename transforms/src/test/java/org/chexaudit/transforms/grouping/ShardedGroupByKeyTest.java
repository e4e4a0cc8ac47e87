package org.chexaudit.transforms.grouping;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sharded groupings give what Beam's GroupByKey and CoGroupByKey give, whatever the shard count. */
@ExtendWith(TestPipelineExtension.class)
class ShardedGroupByKeyTest {
  private static final TupleTag<Integer> LEFT = new TupleTag<>("left") {};
  private static final TupleTag<String> RIGHT = new TupleTag<>("right") {};

  /** About 1,000 values over 36 keys (k0 to k36 but k7; the right side has k7 and "x" besides even keys). */
  private static List<KV<String, Integer>> left() {
    List<KV<String, Integer>> kvs = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      int k = (i * 7919) % 37;
      if (k != 7) {
        kvs.add(KV.of("k" + k, i));
      }
    }
    return kvs;
  }

  private static List<KV<String, String>> right() {
    List<KV<String, String>> kvs = new ArrayList<>();
    for (int k = 0; k < 37; k += 2) {
      kvs.add(KV.of("k" + k, "r" + k));
    }
    kvs.add(KV.of("k7", "r7"));
    kvs.add(KV.of("x", "only right"));
    return kvs;
  }

  /** Key to its sorted values, as text, so the two groupings' outputs compare as one string. */
  private static <V extends Comparable<V>> String describe(Iterable<KV<String, Iterable<V>>> groups) {
    Map<String, List<V>> byKey = new TreeMap<>();
    for (KV<String, Iterable<V>> g : groups) {
      List<V> values = new ArrayList<>();
      g.getValue().forEach(values::add);
      values.sort(null);
      // each key must come out once
      assertThat("key " + g.getKey() + " twice", byKey.put(g.getKey(), values) == null, is(true));
    }
    return byKey.toString();
  }

  @Test
  void groupsAsGroupByKeyDoesForAnyShardCount(TestPipeline p) {
    PCollection<KV<String, Integer>> in = p.apply(Create.of(left()).withCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of())));
    String expected = describe(expectedGroups());
    for (int shards : new int[] {1, 3, 1024}) {
      PAssert.that("shards " + shards, in.apply("Sharded" + shards, ShardedGroupByKey.create(shards)))
          .satisfies(groups -> {
            assertThat(describe(groups), is(expected));
            return null;
          });
    }
    PAssert.that("GroupByKey", in.apply(GroupByKey.create())).satisfies(groups -> {
      assertThat(describe(groups), is(expected));
      return null;
    });
    p.run().waitUntilFinish();
  }

  private static List<KV<String, Iterable<Integer>>> expectedGroups() {
    Map<String, List<Integer>> byKey = new TreeMap<>();
    left().forEach(kv -> byKey.computeIfAbsent(kv.getKey(), k -> new ArrayList<>()).add(kv.getValue()));
    List<KV<String, Iterable<Integer>>> out = new ArrayList<>();
    byKey.forEach((k, v) -> out.add(KV.of(k, v)));
    assertThat(out.size(), is(36));
    return out;
  }

  @Test
  void coGroupsAsCoGroupByKeyDoes(TestPipeline p) {
    PCollection<KV<String, Integer>> l = p.apply("Left", Create.of(left()).withCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of())));
    PCollection<KV<String, String>> r = p.apply("Right", Create.of(right()).withCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())));
    KeyedPCollectionTuple<String> tuple = KeyedPCollectionTuple.of(LEFT, l).and(RIGHT, r);
    PCollection<KV<String, CoGbkResult>> beam = tuple.apply("Beam", CoGroupByKey.create());
    for (int shards : new int[] {1, 5}) {
      PCollection<KV<String, CoGbkResult>> sharded = tuple.apply("Sharded" + shards, ShardedCoGroupByKey.create(shards));
      PAssert.that("shards " + shards, sharded).satisfies(groups -> {
        assertThat(describeCoGroups(groups), is(describeCoGroups(expectedCoGroups())));
        return null;
      });
    }
    PAssert.that("CoGroupByKey", beam).satisfies(groups -> {
      assertThat(describeCoGroups(groups), is(describeCoGroups(expectedCoGroups())));
      return null;
    });
    p.run().waitUntilFinish();
  }

  /** What a co-grouping must give: per key (36 on the left, "k7" and "x" only on the right), its left and right values. */
  private static List<KV<String, List<List<String>>>> expectedCoGroups() {
    Map<String, List<List<String>>> byKey = new TreeMap<>();
    for (KV<String, Integer> kv : left()) {
      byKey.computeIfAbsent(kv.getKey(), k -> List.of(new ArrayList<>(), new ArrayList<>())).get(0).add(String.valueOf(kv.getValue()));
    }
    for (KV<String, String> kv : right()) {
      byKey.computeIfAbsent(kv.getKey(), k -> List.of(new ArrayList<>(), new ArrayList<>())).get(1).add(kv.getValue());
    }
    List<KV<String, List<List<String>>>> out = new ArrayList<>();
    byKey.forEach((k, v) -> out.add(KV.of(k, v)));
    assertThat(out.size(), is(38));
    return out;
  }

  private static String describeCoGroups(Iterable<?> groups) {
    Map<String, String> byKey = new TreeMap<>();
    for (Object o : groups) {
      @SuppressWarnings("unchecked")
      KV<String, Object> g = (KV<String, Object>) o;
      List<String> l = new ArrayList<>();
      List<String> r = new ArrayList<>();
      if (g.getValue() instanceof CoGbkResult) {
        ((CoGbkResult) g.getValue()).getAll(LEFT).forEach(v -> l.add(String.valueOf(v)));
        ((CoGbkResult) g.getValue()).getAll(RIGHT).forEach(r::add);
      } else {
        @SuppressWarnings("unchecked")
        List<List<String>> lists = (List<List<String>>) g.getValue();
        l.addAll(lists.get(0));
        r.addAll(lists.get(1));
      }
      l.sort(null);
      r.sort(null);
      assertThat("key " + g.getKey() + " twice", byKey.put(g.getKey(), l + "|" + r) == null, is(true));
    }
    return byKey.toString();
  }

  @Test
  void refusesAKeyCoderThatIsNotDeterministic(TestPipeline p) {
    PCollection<KV<Double, Integer>> in = p.apply(Create.of(KV.of(0.5, 1)).withCoder(KvCoder.of(DoubleCoder.of(), VarIntCoder.of())));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> in.apply(ShardedGroupByKey.create(4)));
    assertThat(e.getMessage(), containsString("deterministic"));
    p.enableAbandonedNodeEnforcement(false);
  }
}
