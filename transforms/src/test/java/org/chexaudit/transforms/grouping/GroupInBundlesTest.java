package org.chexaudit.transforms.grouping;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class GroupInBundlesTest {
  @Test
  void everyValueOfAKeyIsInItsGroupOnce(TestPipeline p) {
    List<KV<String, Integer>> pairs = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      pairs.add(KV.of(i % 3 == 0 ? "third" : "rest", i));
    }
    PCollection<KV<String, Iterable<Integer>>> groups = p
        .apply(Create.of(pairs).withCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of())))
        .apply(GroupInBundles.create());
    PAssert.that(groups).satisfies(all -> {
      List<String> keys = new ArrayList<>();
      for (KV<String, Iterable<Integer>> g : all) {
        keys.add(g.getKey());
        List<Integer> expected = new ArrayList<>();
        List<Integer> got = new ArrayList<>();
        g.getValue().forEach(got::add);
        for (int i = 0; i < 3000; i++) {
          if ((i % 3 == 0) == g.getKey().equals("third")) {
            expected.add(i);
          }
        }
        assertThat(got, containsInAnyOrder(expected.toArray()));
      }
      assertThat(keys, containsInAnyOrder("third", "rest"));
      return null;
    });
    p.run().waitUntilFinish();
  }
}
