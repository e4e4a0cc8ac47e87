package org.chexaudit.transforms.grouping;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class SumInBundlesTest {
  @Test
  void partialSumsAddUpToTheSumsPerKey(TestPipeline p) {
    List<KV<String, Long>> counts = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      counts.add(KV.of("k" + (i % 3), (long) i));
    }
    PCollection<KV<String, Long>> sums = p
        .apply(Create.of(counts).withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())))
        .apply(SumInBundles.create())
        .apply(Sum.longsPerKey());
    // 0 + 3 + ... + 999 = 166,833; 1 + 4 + ... + 997 = 166,167; 2 + 5 + ... + 998 = 166,500
    PAssert.that(sums).containsInAnyOrder(KV.of("k0", 166_833L), KV.of("k1", 166_167L), KV.of("k2", 166_500L));
    p.run().waitUntilFinish();
  }
}
