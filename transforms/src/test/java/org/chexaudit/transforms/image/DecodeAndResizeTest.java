package org.chexaudit.transforms.image;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.ImageExample;
import org.chexaudit.core.image.ImageFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(TestPipelineExtension.class)
class DecodeAndResizeTest {
  @TempDir Path root;

  static CohortRecord record(String id, String path) {
    return CohortRecord.newBuilder()
        .setId(id)
        .setRowIndex(0)
        .setPatientId("p_" + id)
        .setPath(path)
        .setPathPreproc("preproc_224x224/" + id + ".jpg")
        .setSex("Female")
        .setSexLabel(1)
        .setRace("Asian")
        .setRaceLabel(1)
        .setLabels(new ArrayList<>(Arrays.asList(1f, null, -1f)))
        .setDisease("Other")
        .setDiseaseLabel(2)
        .setSplit("train")
        .setAttributes(new HashMap<>())
        .build();
  }

  @Test
  void goodImagesAreResizedAndBadFilesBecomeDeadLettersWithReasons(TestPipeline p) throws Exception {
    Path dir = Files.createDirectories(root.resolve("CheXpert-v1.0/train"));
    Files.write(dir.resolve("grey.jpg"), ImageFixtures.greyJpeg(40, 30, 7));
    Files.write(dir.resolve("colour.jpg"), ImageFixtures.rgb(20, 25, 200, 100, 50, "jpeg"));
    Files.write(dir.resolve("deep.png"), ImageFixtures.grey16Png(17, 9, 128 * 257));
    Files.write(dir.resolve("empty.jpg"), new byte[0]);
    Files.write(dir.resolve("text.jpg"), "Path,Sex\n".getBytes(StandardCharsets.UTF_8));
    byte[] jpeg = ImageFixtures.greyJpeg(64, 64, 3);
    Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));

    List<CohortRecord> records = new ArrayList<>();
    for (String name : List.of("grey.jpg", "colour.jpg", "deep.png", "empty.jpg", "text.jpg", "cut.jpg",
        "absent.jpg")) {
      records.add(record(name.replace('.', '_'), "CheXpert-v1.0/train/" + name));
    }
    DecodeAndResize.Result r = p
        .apply(Create.of(records).withCoder(AvroCoder.of(CohortRecord.class)))
        .apply(DecodeAndResize.from(root.toString()).withSize(8).withJpegOutput(root.resolve("out").toString()));

    PAssert.that(r.images().apply("Shape", MapElements.into(TypeDescriptors.strings())
            .via((ImageExample e) -> e.getId() + " " + e.getHeight() + "x" + e.getWidth() + " "
                + e.getPixels().remaining() + " " + e.getLabels() + " " + e.getRaceLabel()
                + " " + e.getAttributes().get("race") + " " + e.getSplit())))
        .containsInAnyOrder(
            "grey_jpg 8x8 64 [1.0, null, -1.0] 1 Asian train",
            "colour_jpg 8x8 64 [1.0, null, -1.0] 1 Asian train",
            "deep_png 8x8 64 [1.0, null, -1.0] 1 Asian train");
    PAssert.that(r.images().apply("UniformPixels", MapElements.into(
            TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.integers()))
        .via((ImageExample e) -> KV.of(e.getId(), e.getPixels().get(e.getPixels().position() + 27) & 0xff))))
        .satisfies(kvs -> {
          for (KV<String, Integer> kv : kvs) {
            if (kv.getKey().equals("deep_png")) {
              assertThat(kv.getValue(), equalTo(128));
            } else if (kv.getKey().equals("colour_jpg")) {
              // luminance 117.645 of (200, 100, 50), give or take JPEG's chroma rounding
              assertThat(Math.abs(kv.getValue() - 117) <= 2, equalTo(true));
            }
          }
          return null;
        });
    PAssert.that(r.deadLetters().apply("Reasons", MapElements.into(TypeDescriptors.strings())
            .via(d -> d.getRecord() + " | " + d.getReason().split(":")[0] + " | "
                + d.getStage() + " | " + Path.of(d.getSource()).getFileName())))
        .containsInAnyOrder(
            "empty_jpg CheXpert-v1.0/train/empty.jpg | empty file | DecodeAndResize | empty.jpg",
            "text_jpg CheXpert-v1.0/train/text.jpg | not an image | DecodeAndResize | text.jpg",
            "cut_jpg CheXpert-v1.0/train/cut.jpg | corrupt image | DecodeAndResize | cut.jpg",
            "absent_jpg CheXpert-v1.0/train/absent.jpg | missing file | DecodeAndResize | absent.jpg");
    p.run().waitUntilFinish();

    try (var files = Files.list(root.resolve("out/preproc_8x8"))) {
      assertThat(files.map(f -> f.getFileName().toString()).sorted().toList(),
          equalTo(List.of("colour_jpg.jpg", "deep_png.jpg", "grey_jpg.jpg")));
    }
  }

  @Test
  void shorterSideModeKeepsEachImagesAspect(TestPipeline p) throws Exception {
    Path dir = Files.createDirectories(root.resolve("img"));
    Files.write(dir.resolve("wide.jpg"), ImageFixtures.greyJpeg(40, 30, 7));
    Files.write(dir.resolve("tall.jpg"), ImageFixtures.greyJpeg(20, 50, 3));
    DecodeAndResize.Result r = p
        .apply(Create.of(record("wide", "img/wide.jpg"), record("tall", "img/tall.jpg"))
            .withCoder(AvroCoder.of(CohortRecord.class)))
        .apply(DecodeAndResize.from(root.toString()).withShorterSide(12));
    // 40 wide, 30 high -> 12 high, int(12 * 40 / 30) = 16 wide; 20 x 50 -> 12 wide, 30 high
    PAssert.that(r.images().apply("Shape", MapElements.into(TypeDescriptors.strings())
            .via((ImageExample e) -> e.getId() + " " + e.getHeight() + "x" + e.getWidth() + " "
                + e.getPixels().remaining())))
        .containsInAnyOrder("wide 12x16 192", "tall 30x12 360");
    p.run().waitUntilFinish();
  }

  @Test
  void invalidSizeIsRejectedNamingTheField() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> DecodeAndResize.from("/data").withSize(0));
    assertThat(e.getMessage(), equalTo("DecodeAndResize size must be positive, got height=0 width=0"));
  }

  @Test
  void negativeSpreadBucketsAreRejectedNamingTheField() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> DecodeAndResize.from("/data").withSpreadBuckets(-1));
    assertThat(e.getMessage(), equalTo("DecodeAndResize spreadBuckets must be >= 0 (0: one per record), got -1"));
  }
}
