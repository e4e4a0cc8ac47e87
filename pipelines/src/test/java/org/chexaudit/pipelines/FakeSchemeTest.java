package org.chexaudit.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.beam.sdk.io.FakeSchemeFileSystem;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.options.PredictOptions;
import org.chexaudit.pipelines.options.PreprocessOptions;
import org.chexaudit.pipelines.options.TrainOptions;
import org.chexaudit.pipelines.stage.StageOutput;
import org.chexaudit.schemas.CohortRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * preprocess and predict with every input and output on {@code fakefs://} ({@link FakeSchemeFileSystem}, a
 * Beam file system only Beam's {@code FileSystems} can see): they find their inputs, write their outputs
 * there, and a model that is not local is copied to the worker once. Any {@code java.nio} access to one of
 * these paths would read or write a folder named {@code fakefs:} instead.
 */
class FakeSchemeTest {
  @TempDir Path tmp;

  @Test
  void preprocessAndPredictReadAndWriteOnlyThroughBeamFileSystems() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("fakefs-root"));
    String fakefs = FakeSchemeFileSystem.SCHEME + "://" + root + "/";
    // registers the test's file systems, as the command line does when it parses the options
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());

    // preprocess: cohort, images and output on fakefs://
    writeCohortAndImages(root.resolve("data"));
    PreprocessOptions pre = PipelineOptionsFactory.as(PreprocessOptions.class);
    pre.setCohort(fakefs + "data/cohort-out");
    pre.setImageRoot(fakefs + "data/images");
    pre.setOutput(fakefs + "runs/pre");
    pre.setImageSize(16);
    pre.setSplits("train,test");
    pre.setWriteJpegs(true);
    PreprocessPipeline.run(pre);
    Path preOut = root.resolve("runs/pre");
    assertThat(Files.exists(preOut.resolve(StageOutput.MANIFEST)), is(true));
    Map<?, ?> summary = new ObjectMapper().readValue(preOut.resolve("summary.json").toFile(), Map.class);
    assertThat(summary.get("written"), equalTo(Map.of("train", 2, "test", 1)));
    assertThat(summary.get("dead_letters"), equalTo(Map.of("missing file", 1)));
    assertThat(CohortPipelineTest.readAvro(preOut.resolve("images/train"),
        org.chexaudit.schemas.ImageExample.class).size(), is(2));
    try (Stream<Path> jpegs = Files.list(preOut.resolve("preproc_16x16"))) {
      assertThat(jpegs.count(), is(3L));
    }

    // predict: model, shards and output on fakefs://, against the same run on local paths
    Path shards = tmp.resolve("shards");
    PlantedShards.write(shards, "train", 32, 16, 1);
    PlantedShards.write(shards, "test", 24, 16, 3);
    PlantedShards.write(shards, "validate", 16, 16, 2);
    Path model = tmp.resolve("model");
    TrainPipeline.run(PipelineOptionsFactory.fromArgs("--shards=" + shards, "--output=" + model, "--arch=smallcnn",
        "--epochs=1", "--batchSize=16", "--threads=2").as(TrainOptions.class));
    copyTree(model, root.resolve("models/m"));
    copyTree(shards, root.resolve("shards"));
    Path local = tmp.resolve("local-predict");
    PredictPipeline.run(predict(model.toString(), shards.toString(), local.toString()));
    PredictPipeline.run(predict(fakefs + "models/m", fakefs + "shards", fakefs + "runs/predict"));
    Path fake = root.resolve("runs/predict");
    assertThat(Files.exists(fake.resolve(StageOutput.MANIFEST)), is(true));
    assertThat(OutputComparison.assertCsvsClose(local, fake, 1e-5), lessThanOrEqualTo(1e-5));
    assertThat(Files.exists(fake.resolve(PredictPipeline.CSV_SHARDS)) && Files.list(fake.resolve(
        PredictPipeline.CSV_SHARDS)).anyMatch(Files::isRegularFile), is(false));
    assertThat("nothing written as a local folder named fakefs:", Files.exists(Path.of("fakefs:")), is(false));
  }

  private static PredictOptions predict(String model, String shards, String out) {
    return PipelineOptionsFactory.fromArgs("--model=" + model, "--shards=" + shards, "--output=" + out,
        "--batchSize=16", "--threads=2", "--embeddingsCsv=true").as(PredictOptions.class);
  }

  /** A cohort of four records (two train, one test, one whose image is missing) and their JPEGs. */
  private static void writeCohortAndImages(Path data) throws Exception {
    List<CohortRecord> records = new ArrayList<>();
    String[][] rows = {{"patient00001", "train"}, {"patient00002", "train"}, {"patient00003", "test"},
        {"patient00004", "train"}};
    Random rnd = new Random(5);
    for (String[] r : rows) {
      String path = "CheXpert-v1.0/train/" + r[0] + "/study1/view1_frontal.jpg";
      records.add(CohortRecord.newBuilder().setId(r[0] + "_study1_view1_frontal").setRowIndex(0).setPatientId(r[0])
          .setPath(path).setPathPreproc("preproc_224x224/" + r[0] + "_study1_view1_frontal.jpg").setSex("Male")
          .setSexLabel(0).setRace("White").setRaceLabel(0).setLabels(new ArrayList<>(List.of(1f, 0f)))
          .setDisease("No Finding").setDiseaseLabel(0).setSplit(r[1]).setAttributes(new HashMap<>()).build());
      if (!r[0].equals("patient00004")) {
        BufferedImage img = new BufferedImage(40, 50, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 50; y++) {
          for (int x = 0; x < 40; x++) {
            img.getRaster().setSample(x, y, 0, rnd.nextInt(256));
          }
        }
        Path f = data.resolve("images").resolve(path);
        Files.createDirectories(f.getParent());
        ImageIO.write(img, "jpeg", f.toFile());
      }
    }
    Path cohort = Files.createDirectories(data.resolve("cohort-out/cohort"));
    try (DataFileWriter<CohortRecord> w = new DataFileWriter<>(new SpecificDatumWriter<>(CohortRecord.class))) {
      w.create(CohortRecord.getClassSchema(), cohort.resolve("part-00000.avro").toFile());
      for (CohortRecord r : records) {
        w.append(r);
      }
    }
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        Files.createDirectories(t.getParent());
        Files.copy(p, t);
      }
    }
  }
}
