package org.chexaudit.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The merged shards are byte for byte one sorted write: header, then rows by id (String order). */
class SortedCsvShardsTest {
  @TempDir Path tmp;

  @Test
  void mergedFilesEqualOneSortedWrite() throws Exception {
    Random rng = new Random(7);
    List<KV<String, KV<String, String>>> rows = new ArrayList<>();
    List<String> aRows = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      // ids of several lengths and cases, some needing quotes, so String order is not length order
      String id = (i % 7 == 0 ? "Z" : "a") + Integer.toString(rng.nextInt(100_000), 36) + (i % 11 == 0 ? ",x" : "");
      String row = PredictionCsv.line(List.of(id, Float.toString(rng.nextFloat()), "1.0"));
      rows.add(KV.of("a.csv", KV.of(id, row)));
      aRows.add(id + "\t" + row);
    }
    rows.add(KV.of("b.csv", KV.of("only", "only,0.5,0.0")));
    Collections.shuffle(rows, rng);

    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--targetParallelism=2").create());
    String shards = tmp.resolve("out/_csv_shards").toString();
    p.apply(Create.of(rows).withCoder(KvCoder.of(StringUtf8Coder.of(),
            KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))))
        .apply(SortedCsvShards.to(shards));
    p.run().waitUntilFinish();
    Map<String, Long> counts = SortedCsvShards.merge(shards,
        org.chexaudit.transforms.io.Resources.dir(tmp.resolve("out").toString()),
        Map.of("a.csv", "id,class_0,target_0", "b.csv", "id,class_0,target_0", "c.csv", "id"));

    Collections.sort(aRows);
    StringBuilder expected = new StringBuilder("id,class_0,target_0\n");
    for (String r : aRows) {
      expected.append(r.substring(r.indexOf('\t') + 1)).append('\n');
    }
    assertThat(Files.readString(tmp.resolve("out/a.csv")), equalTo(expected.toString()));
    assertThat(Files.readString(tmp.resolve("out/b.csv")), equalTo("id,class_0,target_0\nonly,0.5,0.0\n"));
    assertThat(counts, equalTo(Map.of("a.csv", 500L, "b.csv", 1L)));
    assertThat("no file without rows", Files.exists(tmp.resolve("out/c.csv")), is(false));
    assertThat("shards deleted", Files.exists(tmp.resolve("out/_csv_shards")), is(false));
  }
}
