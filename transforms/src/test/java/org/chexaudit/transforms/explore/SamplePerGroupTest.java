package org.chexaudit.transforms.explore;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class SamplePerGroupTest {
  private static List<KV<String, Integer>> groups() {
    List<KV<String, Integer>> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      rows.add(KV.of("White", i));
    }
    for (int i = 0; i < 30; i++) {
      rows.add(KV.of("Asian", 100 + i));
    }
    return rows;
  }

  private static PCollection<KV<String, Integer>> sample(TestPipeline p, String name,
      SamplePerGroup<String, Integer> transform) {
    return p.apply("Create" + name, Create.of(groups())
            .withCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of())))
        .apply("Sample" + name, transform);
  }

  @Test
  void drawsSizeDistinctElementsPerGroup(TestPipeline p) {
    PCollection<KV<String, Integer>> out =
        sample(p, "", SamplePerGroup.<String, Integer>create().withSize(20).withSeed(3));
    PAssert.that(out).satisfies(all -> {
      Set<Integer> white = new HashSet<>();
      Set<Integer> asian = new HashSet<>();
      for (KV<String, Integer> kv : all) {
        (kv.getKey().equals("White") ? white : asian).add(kv.getValue());
        assertThat(kv.getKey().equals("White"), equalTo(kv.getValue() < 100));
      }
      assertThat(white.size(), equalTo(20));
      assertThat(asian.size(), equalTo(20));
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void sameSeedSameSample(TestPipeline p) {
    SamplePerGroup<String, Integer> t = SamplePerGroup.<String, Integer>create().withSize(10)
        .withSeed(8);
    PCollection<KV<String, Integer>> a = sample(p, "A", t);
    PCollection<KV<String, Integer>> b = sample(p, "B", t);
    PAssert.that(PCollectionList.of(a).and(b).apply(Flatten.pCollections())
            .apply(Count.perElement()))
        .satisfies(counts -> {
          int n = 0;
          for (KV<KV<String, Integer>, Long> kv : counts) {
            assertThat(kv.getValue(), equalTo(2L));
            n++;
          }
          assertThat(n, equalTo(20));
          return null;
        });
    p.run().waitUntilFinish();
  }

  @Test
  void smallGroupFailsUnlessAllowed(TestPipeline p) {
    sample(p, "", SamplePerGroup.<String, Integer>create().withSize(40));
    PipelineExecutionException e = assertThrows(PipelineExecutionException.class,
        () -> p.run().waitUntilFinish());
    assertThat(e.getMessage(), containsString("group Asian has 30 elements"));
  }

  @Test
  void smallGroupKeptWholeWhenAllowed(TestPipeline p) {
    PCollection<KV<String, Integer>> out = sample(p, "",
        SamplePerGroup.<String, Integer>create().withSize(40).allowingSmallerGroups());
    PAssert.that(out.apply(org.apache.beam.sdk.transforms.Keys.create())
            .apply(Count.perElement()))
        .containsInAnyOrder(KV.of("White", 40L), KV.of("Asian", 30L));
    p.run().waitUntilFinish();
  }
}
