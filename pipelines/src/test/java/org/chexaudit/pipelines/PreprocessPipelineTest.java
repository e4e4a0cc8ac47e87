package org.chexaudit.pipelines;

import org.chexaudit.pipelines.stage.StageOutput;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.options.PreprocessOptions;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.DeadLetter;
import org.chexaudit.schemas.ImageExample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preprocess command on a four-record cohort written here. */
class PreprocessPipelineTest {
  @TempDir Path tmp;

  private static CohortRecord record(String patient, String split) {
    String path = "CheXpert-v1.0/train/" + patient + "/study1/view1_frontal.jpg";
    return CohortRecord.newBuilder()
        .setId(patient + "_study1_view1_frontal")
        .setRowIndex(0)
        .setPatientId(patient)
        .setPath(path)
        .setPathPreproc("preproc_224x224/" + patient + "_study1_view1_frontal.jpg")
        .setSex("Male")
        .setSexLabel(0)
        .setRace("White")
        .setRaceLabel(0)
        .setLabels(new ArrayList<>(Arrays.asList(1f, 0f)))
        .setDisease("No Finding")
        .setDiseaseLabel(0)
        .setSplit(split)
        .setAttributes(new HashMap<>())
        .build();
  }

  private static void writeJpeg(Path root, CohortRecord r, long seed) throws Exception {
    BufferedImage img = new BufferedImage(60, 70, BufferedImage.TYPE_BYTE_GRAY);
    Random rnd = new Random(seed);
    for (int y = 0; y < 70; y++) {
      for (int x = 0; x < 60; x++) {
        img.getRaster().setSample(x, y, 0, rnd.nextInt(256));
      }
    }
    Path f = root.resolve(r.getPath());
    Files.createDirectories(f.getParent());
    ImageIO.write(img, "jpeg", f.toFile());
  }

  private PreprocessOptions options(Path cohort, Path root, Path out) {
    PreprocessOptions o = PipelineOptionsFactory.as(PreprocessOptions.class);
    o.setCohort(cohort.toString());
    o.setImageRoot(root.toString());
    o.setOutput(out.toString());
    o.setImageSize(16);
    o.setSplits("train,validate");
    o.setWriteJpegs(true);
    return o;
  }

  /** Four records (two train, one validate, one test) with 60 x 70 images, but patient00002's is missing. */
  private Path cohortWithImages(Path root) throws Exception {
    Path cohort = tmp.resolve("cohort");
    List<CohortRecord> records = List.of(record("patient00001", "train"), record("patient00002", "train"),
        record("patient00003", "validate"), record("patient00004", "test"));
    writeJpeg(root, records.get(0), 1);
    writeJpeg(root, records.get(2), 3);
    writeJpeg(root, records.get(3), 4);
    Files.createDirectories(cohort.resolve("cohort"));
    try (DataFileWriter<CohortRecord> w = new DataFileWriter<>(new SpecificDatumWriter<>(CohortRecord.class))) {
      w.create(CohortRecord.getClassSchema(), cohort.resolve("cohort/part-00000.avro").toFile());
      for (CohortRecord r : records) {
        w.append(r);
      }
    }
    return cohort;
  }

  @Test
  void writesSelectedSplitsSeparatelyAndDeadLettersMissingImages() throws Exception {
    Path root = tmp.resolve("data");
    Path cohort = cohortWithImages(root);
    Path out = tmp.resolve("images-out");
    PreprocessPipeline.run(options(cohort, root, out));

    List<ImageExample> train = CohortPipelineTest.readAvro(out.resolve("images/train"), ImageExample.class);
    List<ImageExample> val = CohortPipelineTest.readAvro(out.resolve("images/validate"), ImageExample.class);
    assertThat(train.stream().map(ImageExample::getId).toList(), equalTo(List.of("patient00001_study1_view1_frontal")));
    assertThat(val.stream().map(ImageExample::getId).toList(), equalTo(List.of("patient00003_study1_view1_frontal")));
    assertThat(train.get(0).getPixels().remaining(), is(16 * 16));
    assertThat(Files.exists(out.resolve("images/test")), is(false));
    List<DeadLetter> dead = CohortPipelineTest.readAvro(out.resolve("dead_letters"), DeadLetter.class);
    assertThat(dead.size(), is(1));
    assertThat(dead.get(0).getReason(), equalTo("missing file: no such file"));
    assertThat(dead.get(0).getSource(), containsString("patient00002"));
    assertThat(new File(out.resolve("preproc_16x16").toString()).list().length, is(2));

    Map<?, ?> s = new ObjectMapper().readValue(out.resolve("summary.json").toFile(), Map.class);
    assertThat(s.get("input_records"), is(4));
    assertThat(s.get("selected"), is(3));
    assertThat(s.get("written"), equalTo(Map.of("train", 1, "validate", 1)));
    assertThat(s.get("dead_letters"), equalTo(Map.of("missing file", 1)));
    assertThat(s.get("reconciles"), is(true));
    assertThat(Files.exists(out.resolve(StageOutput.MANIFEST)), is(true));
  }

  @Test
  void shardsAreSizedBySelectedRecordsSoADeadLetterLeavesItsShardEmpty() throws Exception {
    Path root = tmp.resolve("data");
    Path cohort = cohortWithImages(root);
    Path out = tmp.resolve("one-per-shard");
    PreprocessOptions o = options(cohort, root, out);
    o.setImagesPerShard(1);
    PreprocessPipeline.run(o);

    // two train records selected: two shards, though patient00002's image is a dead letter
    try (var files = Files.list(out.resolve("images/train"))) {
      assertThat(files.map(f -> f.getFileName().toString()).sorted().toList(),
          equalTo(List.of("part-00000-of-00002.avro", "part-00001-of-00002.avro")));
    }
    assertThat(CohortPipelineTest.readAvro(out.resolve("images/train"), ImageExample.class).size(), is(1));
    Map<?, ?> s = new ObjectMapper().readValue(out.resolve("summary.json").toFile(), Map.class);
    assertThat(s.get("written"), equalTo(Map.of("train", 1, "validate", 1)));
    assertThat(s.get("reconciles"), is(true));
  }

  @Test
  void shorterSideResizeKeepsTheAspectForChexclusion() throws Exception {
    Path root = tmp.resolve("data");
    Path out = tmp.resolve("shorter");
    PreprocessOptions o = options(cohortWithImages(root), root, out);
    o.setResize("shorter-side");
    PreprocessPipeline.run(o);
    List<ImageExample> train = CohortPipelineTest.readAvro(out.resolve("images/train"), ImageExample.class);
    // 60 wide, 70 high: width 16, height int(16 * 70 / 60) = 18
    assertThat(train.get(0).getWidth(), is(16));
    assertThat(train.get(0).getHeight(), is(18));
    assertThat(train.get(0).getPixels().remaining(), is(16 * 18));
    assertThat(new File(out.resolve("preproc_shorter16").toString()).list().length, is(2));
    assertThat(((Map<?, ?>) StageOutput.readManifest(out).get("options")).get("resize"), equalTo("shorter-side"));
    ManifestOptionsTest.assertRecordsEveryOption(out, PreprocessOptions.class);

    o.setResize("longer-side");
    o.setOutput(tmp.resolve("other").toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PreprocessPipeline.run(o));
    assertThat(e.getMessage(), equalTo("--resize must be square or shorter-side, got 'longer-side'"));
  }

  @Test
  void libjpegTurboDecoderWritesTheSameImagesAsTheJdkReader() throws Exception {
    Path root = tmp.resolve("data");
    Path cohort = cohortWithImages(root);
    PreprocessOptions jdk = options(cohort, root, tmp.resolve("jdk"));
    PreprocessPipeline.run(jdk);
    PreprocessOptions turbo = options(cohort, root, tmp.resolve("turbo"));
    turbo.setDecoder("libjpeg-turbo");
    PreprocessPipeline.run(turbo);
    for (String split : List.of("train", "validate")) {
      assertThat(CohortPipelineTest.readAvro(tmp.resolve("turbo/images/" + split), ImageExample.class),
          equalTo(CohortPipelineTest.readAvro(tmp.resolve("jdk/images/" + split), ImageExample.class)));
    }
    assertThat(CohortPipelineTest.readAvro(tmp.resolve("turbo/dead_letters"), DeadLetter.class).get(0).getReason(),
        equalTo("missing file: no such file"));

    PreprocessOptions bad = options(cohort, root, tmp.resolve("bad"));
    bad.setDecoder("libpng");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PreprocessPipeline.run(bad));
    assertThat(e.getMessage(), equalTo("--decoder must be jdk or libjpeg-turbo, got 'libpng'"));
  }

  @Test
  void fileUrisAndRelativePathsWriteWhatPlainPathsWrite() throws Exception {
    Path root = tmp.resolve("data");
    Path cohort = cohortWithImages(root);
    Path plain = tmp.resolve("plain");
    PreprocessPipeline.run(options(cohort, root, plain));

    Path uris = tmp.resolve("uris");
    PreprocessOptions u = options(cohort, root, uris);
    u.setCohort(cohort.toUri().toString());
    u.setImageRoot(root.toUri().toString());
    u.setOutput(uris.toUri().toString());
    assertThat(u.getOutput(), startsWith("file:///"));
    PreprocessPipeline.run(u);

    // relative to the working directory, as a user types them; made absolute before the graph is built
    Path cwd = Path.of("").toAbsolutePath();
    Path relative = tmp.resolve("relative");
    PreprocessOptions r = options(cwd.relativize(cohort), cwd.relativize(root), cwd.relativize(relative));
    PreprocessPipeline.run(r);

    for (Path out : List.of(uris, relative)) {
      for (String split : List.of("train", "validate")) {
        assertThat(out + " " + split, CohortPipelineTest.readAvro(out.resolve("images/" + split), ImageExample.class),
            equalTo(CohortPipelineTest.readAvro(plain.resolve("images/" + split), ImageExample.class)));
      }
      assertThat(CohortPipelineTest.readAvro(out.resolve("dead_letters"), DeadLetter.class).get(0).getSource(),
          equalTo(CohortPipelineTest.readAvro(plain.resolve("dead_letters"), DeadLetter.class).get(0).getSource()));
      assertThat(new File(out.resolve("preproc_16x16").toString()).list().length, is(2));
      Map<?, ?> s = new ObjectMapper().readValue(out.resolve("summary.json").toFile(), Map.class);
      assertThat(s.get("written"), equalTo(Map.of("train", 1, "validate", 1)));
      assertThat(Files.exists(out.resolve(StageOutput.MANIFEST)), is(true));
    }
  }

  @Test
  void missingCohortFolderFailsNamingTheOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PreprocessPipeline.run(options(tmp.resolve("nowhere"), tmp, tmp.resolve("out"))));
    assertThat(e.getMessage(), containsString("--cohort"));
  }
}
