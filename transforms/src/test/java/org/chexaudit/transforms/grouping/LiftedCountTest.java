package org.chexaudit.transforms.grouping;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The lifted counts give Beam's Count's totals, over several bundles and for no elements. */
@ExtendWith(TestPipelineExtension.class)
class LiftedCountTest {
  @Test
  void countsPerElementAndGlobally(TestPipeline p) {
    List<String> words = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      words.add(i % 5 == 0 ? "a" : i % 5 == 1 ? "b" : "c"); // 100 a, 100 b, 300 c
    }
    // two inputs flattened: at least two bundles
    PCollection<String> all = PCollectionList.of(p.apply("One", Create.of(words)))
        .and(p.apply("Two", Create.of(words))).apply(Flatten.pCollections());
    PAssert.that(all.apply("PerElement", LiftedCount.perElement()))
        .containsInAnyOrder(KV.of("a", 200L), KV.of("b", 200L), KV.of("c", 600L));
    PAssert.thatSingleton(all.apply("Globally", LiftedCount.globally())).isEqualTo(1000L);
    PAssert.thatSingleton(p.apply("None", Create.empty(StringUtf8Coder.of())).apply("Empty", LiftedCount.globally()))
        .isEqualTo(0L);
    p.run().waitUntilFinish();
  }
}
