package org.chexaudit.transforms.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.chexaudit.schemas.DeadLetter;
import org.chexaudit.transforms.coders.SpecificRecordCoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One readable Avro file with every record, written however the records arrive; a valid empty one for none. */
class WriteAvroFileTest {
  @TempDir Path tmp;

  private static DeadLetter letter(int i) {
    return DeadLetter.newBuilder().setStage("s").setRecord("r" + i).setReason("why " + i).build();
  }

  private static List<String> write(Path file, List<DeadLetter> records, int parallelism) throws Exception {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--targetParallelism=" + parallelism).create());
    p.apply(Create.of(records).withCoder(SpecificRecordCoder.of(DeadLetter.class)))
        .apply(WriteAvroFile.to(DeadLetter.class, file.toString()));
    p.run().waitUntilFinish();
    List<String> read = new ArrayList<>();
    try (DataFileReader<DeadLetter> r = new DataFileReader<>(new File(file.toString()),
        new SpecificDatumReader<>(DeadLetter.class))) {
      assertThat(r.getMetaString("avro.codec"), equalTo("snappy"));
      r.forEach(d -> read.add(d.getRecord().toString()));
    }
    return read;
  }

  @Test
  void everyRecordLandsInTheOneFile() throws Exception {
    List<DeadLetter> records = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      records.add(letter(i));
      expected.add("r" + i);
    }
    for (int parallelism : new int[] {1, 3}) {
      Path file = tmp.resolve("p" + parallelism).resolve("letters.avro");
      assertThat(write(file, records, parallelism), containsInAnyOrder(expected.toArray()));
      try (var files = Files.list(file.getParent())) {
        assertThat("no temporary files left beside it", files.count(), equalTo(1L));
      }
    }
  }

  @Test
  void anEmptyCollectionWritesAValidEmptyFile() throws Exception {
    assertThat(write(tmp.resolve("none.avro"), List.of(), 2), empty());
  }

  @Test
  void refusesAMissingFileOrType() {
    assertThat(assertThrows(IllegalArgumentException.class, () -> WriteAvroFile.to(DeadLetter.class, "")).getMessage(),
        containsString("file"));
    assertThat(assertThrows(IllegalArgumentException.class, () -> WriteAvroFile.to(null, "x.avro")).getMessage(),
        containsString("type"));
  }
}
