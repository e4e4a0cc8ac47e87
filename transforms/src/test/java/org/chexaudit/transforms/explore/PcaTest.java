package org.chexaudit.transforms.explore;

import org.chexaudit.transforms.coders.DoubleArrayCoder;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.chexaudit.core.explore.PcaModelTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class PcaTest {
  /** The sklearn-checked matrix of PcaModelTest, repeated 20 times (600 rows, 3 blocks). */
  private static List<KV<String, double[]>> embeddings() {
    List<KV<String, double[]>> rows = new ArrayList<>();
    for (int copy = 0; copy < 20; copy++) {
      for (int i = 0; i < PcaModelTest.X.length; i++) {
        rows.add(KV.of("img" + copy + "_" + i, PcaModelTest.X[i]));
      }
    }
    return rows;
  }

  @Test
  void distributedCovarianceGivesSklearnRatiosAndScores(TestPipeline p) {
    PCollectionTuple out = p
        .apply(Create.of(embeddings())
            .withCoder(KvCoder.of(StringUtf8Coder.of(), DoubleArrayCoder.of())))
        .apply(Pca.create());
    // Repeating every row 20 times keeps the ratios; variances scale by 29/599 * 20.
    PAssert.thatSingleton(out.get(Pca.MODEL)).satisfies(model -> {
      assertThat(model.numComponents(), equalTo(3));
      for (int c = 0; c < 3; c++) {
        assertThat(model.explainedVarianceRatio()[c], closeTo(PcaModelTest.RATIO[c], 1e-12));
      }
      assertThat(model.sampleCount(), equalTo(600L));
      return null;
    });
    PCollection<KV<String, double[]>> scores = out.get(Pca.SCORES);
    PAssert.that(scores).satisfies(all -> {
      int count = 0;
      for (KV<String, double[]> kv : all) {
        count++;
        if (kv.getKey().endsWith("_7")) {
          for (int c = 0; c < 3; c++) {
            assertThat(Math.abs(kv.getValue()[c]), closeTo(PcaModelTest.ABS_SCORES_ROW7[c], 1e-9));
          }
        }
      }
      assertThat(count, equalTo(600));
      return null;
    });
    p.run().waitUntilFinish();
  }
}
