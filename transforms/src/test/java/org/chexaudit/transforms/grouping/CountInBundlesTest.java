package org.chexaudit.transforms.grouping;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class CountInBundlesTest {
  @Test
  void partialCountsAddUpToTheCountPerKey(TestPipeline p) {
    List<Integer> numbers = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      numbers.add(i);
    }
    PCollection<KV<String, Long>> counts = p
        .apply(Create.of(numbers).withCoder(VarIntCoder.of()))
        .apply(CountInBundles.by((Integer i) -> i % 7 == 0 ? "seventh" : "other", StringUtf8Coder.of()))
        .apply(Sum.longsPerKey());
    // multiples of 7 in 0..999: 0, 7, ..., 994 = 143
    PAssert.that(counts).containsInAnyOrder(KV.of("seventh", 143L), KV.of("other", 857L));
    p.run().waitUntilFinish();
  }

  @Test
  void noElementsGiveNoCounts(TestPipeline p) {
    PCollection<KV<String, Long>> counts = p
        .apply(Create.empty(VarIntCoder.of()))
        .apply(CountInBundles.by((Integer i) -> "any", StringUtf8Coder.of()));
    PAssert.that(counts).empty();
    p.run().waitUntilFinish();
  }
}
