package org.chexaudit.transforms.ml;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.chexaudit.core.imaging.TrainSubset;
import org.chexaudit.models.ExampleSource;
import org.chexaudit.schemas.ImageExample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardExamplesTest {
  @TempDir Path tmp;

  private static ImageExample example(String id, String split, int sex) {
    return ImageExample.newBuilder().setId(id).setPatientId("p" + id).setSplit(split).setHeight(2).setWidth(2)
        .setPixels(ByteBuffer.wrap(new byte[4])).setLabels(List.of(0f)).setSexLabel(sex).setRaceLabel(0)
        .setDiseaseLabel(null).setAttributes(Map.of()).build();
  }

  private static void write(Path file, List<ImageExample> examples) throws IOException {
    Files.createDirectories(file.getParent());
    try (DataFileWriter<ImageExample> w = new DataFileWriter<>(new SpecificDatumWriter<>(ImageExample.class))) {
      w.create(ImageExample.getClassSchema(), file.toFile());
      for (ImageExample e : examples) {
        w.append(e);
      }
    }
  }

  private static List<String> ids(ExampleSource source, int part) throws IOException {
    List<String> out = new ArrayList<>();
    try (ExampleSource.Records r = source.open(part)) {
      r.forEachRemaining(e -> out.add(e.getId().toString()));
    }
    return out;
  }

  @Test
  void keepsASplitsRecordsOfTheSubsetBySplitFieldOrFolder() throws Exception {
    Path train = tmp.resolve("images/train/part-0.avro");
    Path val = tmp.resolve("images/validate/part-0.avro");
    write(train, List.of(example("a", null, 0), example("b", "validate", 1), example("c", null, 1)));
    write(val, List.of(example("d", null, 0), example("e", "train", 0)));
    List<String> shards = List.of(train.toUri().toString(), val.toString());

    ExampleSource all = ShardExamples.of(shards, "train", TrainSubset.all());
    assertThat(all.parts(), equalTo(shards));
    assertThat(ids(all, 0), equalTo(List.of("a", "c")));
    assertThat(ids(all, 1), equalTo(List.of("e")));
    assertThat(ids(ShardExamples.of(shards, "validate", TrainSubset.all()), 0), equalTo(List.of("b")));
    assertThat(ids(ShardExamples.of(shards, "train", TrainSubset.parse("female")), 0), equalTo(List.of("c")));
    // read again from the start: every epoch opens each part anew
    assertThat(ids(all, 0), equalTo(List.of("a", "c")));
  }

  @Test
  void folderNames() {
    assertThat(ShardExamples.folderName("/x/images/train/part-0.avro"), equalTo("train"));
    assertThat(ShardExamples.folderName("hdfs://nn:8020/r/images/validate/part-0.avro"), equalTo("validate"));
    assertThat(ShardExamples.folderName("file:///r/test/p.avro"), equalTo("test"));
    assertThat(ShardExamples.folderName("part-0.avro"), nullValue());
  }
}
