package org.chexaudit.transforms.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.chexaudit.schemas.ImageExample;
import org.chexaudit.transforms.coders.SpecificRecordCoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shards depend on the records alone: the same records arriving in other orders, bundles and
 * parallelism give the same files, record for record, each sorted by id.
 */
class SortedAvroShardsTest {
  @TempDir Path tmp;

  private static ImageExample example(String id) {
    return ImageExample.newBuilder().setId(id).setPatientId("p" + id).setSplit("train").setHeight(1).setWidth(1)
        .setPixels(ByteBuffer.wrap(new byte[] {(byte) id.hashCode()})).setLabels(List.of(1f)).setSexLabel(0)
        .setRaceLabel(0).setDiseaseLabel(0).setAttributes(Map.of()).build();
  }

  private static Map<String, List<String>> write(Path dir, List<ImageExample> records, int parallelism) throws Exception {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--targetParallelism=" + parallelism).create());
    p.apply(Create.of(records).withCoder(SpecificRecordCoder.of(ImageExample.class)))
        .apply(SortedAvroShards.to(ImageExample.class, (ImageExample e) -> e.getId().toString(),
            dir.resolve("part").toString(), 40));
    p.run().waitUntilFinish();
    return read(dir);
  }

  private static Map<String, List<String>> read(Path dir) throws Exception {
    Map<String, List<String>> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        List<String> ids = new ArrayList<>();
        try (DataFileReader<ImageExample> r = new DataFileReader<>(new File(f.toString()),
            new SpecificDatumReader<>(ImageExample.class))) {
          r.forEach(e -> ids.add(e.getId().toString()));
        }
        out.put(f.getFileName().toString(), ids);
      }
    }
    return out;
  }

  @Test
  void theSameRecordsGiveTheSameSortedShardsHoweverTheyArrive() throws Exception {
    List<ImageExample> records = new ArrayList<>();
    for (int i = 0; i < 203; i++) {
      records.add(example(String.format("img%04d", (i * 7919) % 10007)));
    }
    Map<String, List<String>> a = write(tmp.resolve("a"), records, 1);
    List<ImageExample> shuffled = new ArrayList<>(records);
    Collections.shuffle(shuffled, new Random(3));
    Map<String, List<String>> b = write(tmp.resolve("b"), shuffled, 4);

    // ceil(203 / 40) = 6 shards
    assertThat(a.keySet(), contains("part-00000-of-00006.avro", "part-00001-of-00006.avro", "part-00002-of-00006.avro",
        "part-00003-of-00006.avro", "part-00004-of-00006.avro", "part-00005-of-00006.avro"));
    assertThat(b, equalTo(a));
    int total = 0;
    for (List<String> ids : a.values()) {
      List<String> sorted = new ArrayList<>(ids);
      Collections.sort(sorted);
      assertThat(ids, equalTo(sorted));
      total += ids.size();
      for (String id : ids) {
        assertThat(ShardLayout.shardOf(id, 6), is(a.keySet().stream().toList().indexOf(
            a.entrySet().stream().filter(e -> e.getValue().contains(id)).findFirst().get().getKey())));
      }
    }
    assertThat(total, is(203));
  }

  @Test
  void noRecordsGiveOneEmptyShard() throws Exception {
    Map<String, List<String>> a = write(tmp.resolve("a"), List.of(), 2);
    assertThat(a.keySet(), contains("part-00000-of-00001.avro"));
    assertThat(a.get("part-00000-of-00001.avro").isEmpty(), is(true));
  }

  @Test
  void eachDestinationIsShardedByItsBoundAndShardsNoRecordReachedAreWrittenEmpty() throws Exception {
    List<ImageExample> records = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      records.add(example(String.format("img%04d", i)));
    }
    Path dir = tmp.resolve("bounded");
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--targetParallelism=2").create());
    // the 30 records all go to "a", sized as if 400 had been read for it: ceil(400 / 40) = 10 shards, some
    // empty; "b" is bounded by 5 and gets no record: one empty shard
    List<String> bound = new ArrayList<>(Collections.nCopies(400, "a"));
    bound.addAll(Collections.nCopies(5, "b"));
    PCollection<KV<String, Long>> written = p
        .apply(Create.of(records).withCoder(SpecificRecordCoder.of(ImageExample.class)))
        .apply(SortedAvroShards.toEach(ImageExample.class, (ImageExample e) -> e.getId().toString(),
            (ImageExample e) -> "a", Map.of("a", dir.resolve("a").toString(), "b", dir.resolve("b").toString()), 40)
            .withCountsOf(p.apply("Bound", Create.of(bound))));
    PAssert.that(written.apply(Sum.longsPerKey())).containsInAnyOrder(KV.of("a", 30L), KV.of("b", 0L));
    PAssert.that(written.apply(Count.perKey())).containsInAnyOrder(KV.of("a", 10L), KV.of("b", 1L));
    p.run().waitUntilFinish();

    Map<String, List<String>> out = read(dir);
    assertThat(out.size(), is(11));
    assertThat(out.get(ShardLayout.fileName("b", 0, 1)).isEmpty(), is(true));
    int total = 0;
    int empty = 0;
    for (int s = 0; s < 10; s++) {
      List<String> ids = out.get(ShardLayout.fileName("a", s, 10));
      for (String id : ids) {
        assertThat(ShardLayout.shardOf(id, 10), is(s));
      }
      total += ids.size();
      empty += ids.isEmpty() ? 1 : 0;
    }
    assertThat(total, is(30));
    // 30 keys over 10 shards leave some shard empty with these ids; its file must still be there
    assertThat(empty > 0, is(true));
  }

  @Test
  void aRecordWithoutADestinationFailsTheRun() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    p.apply(Create.of(List.of(example("img1"))).withCoder(SpecificRecordCoder.of(ImageExample.class)))
        .apply(SortedAvroShards.toEach(ImageExample.class, (ImageExample e) -> e.getId().toString(),
            (ImageExample e) -> "elsewhere", Map.of("a", tmp.resolve("a").toString()), 40));
    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    assertThat(e.getMessage(), containsString("destination 'elsewhere' is none of [a]"));
  }

  @Test
  void aKeysShardIsStable() {
    // fixed values: a change of hash would reshard every existing preprocess output
    // IdHash (FNV-1a, then MurmurHash3's 64-bit mix) gives 15216676176479578869 for this id
    assertThat(ShardLayout.shardOf("patient00001_study1_view1_frontal", 1000), is(869));
    assertThat(ShardLayout.of(Map.of("", "p"), 40).shards(0), is(1));
    assertThat(ShardLayout.of(Map.of("", "p"), 40).shards(80), is(2));
    assertThat(ShardLayout.of(Map.of("", "p"), 40).shards(81), is(3));
  }
}
