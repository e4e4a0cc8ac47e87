package org.chexaudit.transforms.image;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.chexaudit.core.image.ImageFixtures;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.DeadLetter;
import org.chexaudit.schemas.ImageExample;
import org.chexaudit.transforms.coders.SpecificRecordCoder;
import org.chexaudit.transforms.io.ShardLayout;
import org.chexaudit.transforms.io.SortedAvroShards;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images decoded straight into shards are the shards {@link SortedAvroShards} writes from
 * {@link DecodeAndResize}'s images, file for file and record for record; dead letters leave their shard
 * short, a split without records gets its empty shard.
 */
class DecodeToShardsTest {
  @TempDir Path root;

  /** 30 train records (two of whose images are missing) and 10 validate records. */
  private List<CohortRecord> records() throws Exception {
    Path dir = Files.createDirectories(root.resolve("images"));
    List<CohortRecord> records = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String name = String.format("img%03d.jpg", (i * 17) % 41);
      if (i != 5 && i != 23) {
        Files.write(dir.resolve(name), ImageFixtures.greyJpeg(30 + i % 7, 20 + i % 3, i));
      }
      CohortRecord r = DecodeAndResizeTest.record(name.replace(".jpg", ""), "images/" + name);
      r.setSplit(i < 30 ? "train" : "validate");
      records.add(r);
    }
    return records;
  }

  private static Map<String, String> prefixes(Path out) {
    Map<String, String> prefixes = new TreeMap<>();
    for (String split : List.of("train", "validate", "test")) {
      prefixes.put(split, out.resolve(split).resolve("part").toString());
    }
    return prefixes;
  }

  private static Pipeline pipeline() {
    return Pipeline.create(PipelineOptionsFactory.fromArgs("--targetParallelism=2").create());
  }

  @Test
  void writesWhatSortedShardsOfTheDecodedImagesHold() throws Exception {
    List<CohortRecord> records = records();
    DecodeAndResize decode = DecodeAndResize.from(root.toString()).withSize(8);

    Pipeline p = pipeline();
    Path direct = root.resolve("direct");
    DecodeToShards.Result r = p.apply(Create.of(records).withCoder(SpecificRecordCoder.of(CohortRecord.class)))
        .apply(decode.toShards(ShardLayout.of(prefixes(direct), 8)));
    PAssert.that(r.written().apply(Sum.longsPerKey()))
        .containsInAnyOrder(KV.of("train", 28L), KV.of("validate", 10L), KV.of("test", 0L));
    // ceil(30 / 8) = 4 train shards, 2 validate, one empty test shard
    PAssert.that(r.written().apply(Count.perKey()))
        .containsInAnyOrder(KV.of("train", 4L), KV.of("validate", 2L), KV.of("test", 1L));
    PAssert.that(r.deadLetters().apply(MapElements.into(TypeDescriptors.strings())
            .via(d -> d.getReason().toString())))
        .containsInAnyOrder("missing file: no such file", "missing file: no such file");
    p.run().waitUntilFinish();

    Pipeline q = pipeline();
    Path sorted = root.resolve("sorted");
    PCollection<CohortRecord> in = q.apply(Create.of(records).withCoder(SpecificRecordCoder.of(CohortRecord.class)));
    in.apply(decode).images()
        .apply(SortedAvroShards.toEach(ImageExample.class, (ImageExample e) -> e.getId().toString(),
            ImageExample::getSplit, prefixes(sorted), 8)
            .withCountsOf(in.apply(MapElements.into(TypeDescriptors.strings()).via(CohortRecord::getSplit))));
    q.run().waitUntilFinish();

    Map<String, List<ImageExample>> a = read(direct);
    assertThat(a.keySet().toString(), equalTo("[test/part-00000-of-00001.avro, train/part-00000-of-00004.avro,"
        + " train/part-00001-of-00004.avro, train/part-00002-of-00004.avro, train/part-00003-of-00004.avro,"
        + " validate/part-00000-of-00002.avro, validate/part-00001-of-00002.avro]"));
    assertThat(a, equalTo(read(sorted)));
    assertThat(a.values().stream().mapToInt(List::size).sum(), is(38));
  }

  /**
   * With dead-letter files, each shard that lost an image has a file of its dead letters, named by split and
   * shard, and no other shard has one: a file an earlier attempt left for a shard that now has none is removed.
   */
  @Test
  void shardsWriteTheirOwnDeadLetters() throws Exception {
    List<CohortRecord> records = records();
    String prefix = root.resolve("dead").resolve("part").toString();
    Files.createDirectories(root.resolve("dead"));
    for (int shard = 0; shard < 4; shard++) {
      Files.write(Path.of(String.format("%s-train-%05d.avro", prefix, shard)), new byte[] {1}); // a stale attempt
    }
    Pipeline p = pipeline();
    p.apply(Create.of(records).withCoder(SpecificRecordCoder.of(CohortRecord.class)))
        .apply(DecodeAndResize.from(root.toString()).withSize(8).toShards(ShardLayout.of(prefixes(root.resolve("out")), 8))
            .withDeadLetterFiles(prefix));
    p.run().waitUntilFinish();

    // records 5 and 23 (img003, img022) are missing; a record's train shard is the hash of its id over 4 shards
    Map<String, List<String>> expected = new TreeMap<>();
    for (String id : List.of("img003", "img022")) {
      expected.computeIfAbsent(String.format("part-train-%05d.avro", ShardLayout.shardOf(id, 4)), k -> new ArrayList<>())
          .add(root.resolve("images").resolve(id + ".jpg").toString());
    }
    Map<String, List<String>> got = new TreeMap<>();
    try (Stream<Path> files = Files.list(root.resolve("dead"))) {
      for (Path f : files.toList()) {
        List<String> sources = new ArrayList<>();
        try (DataFileReader<DeadLetter> r = new DataFileReader<>(f.toFile(), new SpecificDatumReader<>(DeadLetter.class))) {
          r.forEach(d -> sources.add(d.getSource().toString()));
        }
        got.put(f.getFileName().toString(), sources);
      }
    }
    got.values().forEach(java.util.Collections::sort);
    expected.values().forEach(java.util.Collections::sort);
    assertThat(got, equalTo(expected));
  }

  @Test
  void aRecordOfAnotherSplitFailsTheRunNamingTheSplits() throws Exception {
    List<CohortRecord> records = records();
    records.get(0).setSplit("holdout");
    Pipeline p = pipeline();
    p.apply(Create.of(records).withCoder(SpecificRecordCoder.of(CohortRecord.class)))
        .apply(DecodeAndResize.from(root.toString()).withSize(8).toShards(ShardLayout.of(prefixes(root.resolve("x")), 8)));
    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    assertThat(e.getMessage(), containsString("destination 'holdout' is none of [test, train, validate]"));
  }

  /** Each shard file under {@code dir} (as {@code split/name}) with its records in file order. */
  private static Map<String, List<ImageExample>> read(Path dir) throws Exception {
    Map<String, List<ImageExample>> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        List<ImageExample> rows = new ArrayList<>();
        try (DataFileReader<ImageExample> r = new DataFileReader<>(new File(f.toString()),
            new SpecificDatumReader<>(ImageExample.class))) {
          r.forEach(rows::add);
        }
        out.put(dir.relativize(f).toString(), rows);
      }
    }
    return out;
  }
}
