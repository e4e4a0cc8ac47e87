package org.chexaudit.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FakeSchemeFileSystem;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.models.NamedArray;
import org.chexaudit.models.Npz;
import org.chexaudit.pipelines.options.TrainOptions;
import org.chexaudit.pipelines.stage.StageOutput;
import org.chexaudit.transforms.io.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train with its shards and output as file: URIs and as relative paths: the same model either way. */
class TrainPathsTest {
  @TempDir Path tmp;

  private static TrainOptions options(String shards, String out) {
    TrainOptions o = PipelineOptionsFactory.as(TrainOptions.class);
    o.setShards(shards);
    o.setOutput(out);
    o.setArch("smallcnn");
    o.setEpochs(2);
    o.setBatchSize(16);
    o.setThreads(1);
    o.setShuffleBuffer(20); // smaller than the 60 training images: a streamed, buffered shuffle
    return o;
  }

  private static List<String> log(Path model) throws Exception {
    return Files.readAllLines(model.resolve("training_log.csv")).stream()
        .map(l -> String.join(",", List.of(l.split(",")).subList(0, 3))).toList();
  }

  @Test
  void fileUrisAndRelativePathsTrainTheSameModel() throws Exception {
    Path images = tmp.resolve("images");
    PlantedShards.write(images, "train", 60, 16, 1);
    PlantedShards.write(images, "validate", 20, 16, 2);
    Path byUri = tmp.resolve("by-uri");
    TrainPipeline.run(options(images.toUri().toString(), byUri.toUri().toString()));
    Path relative = tmp.resolve("relative");
    Path cwd = Path.of("").toAbsolutePath();
    TrainPipeline.run(options(cwd.relativize(images).toString(), cwd.relativize(relative).toString()));

    for (Path model : List.of(byUri, relative)) {
      assertThat(model + " finished", Files.exists(model.resolve(StageOutput.MANIFEST)), equalTo(true));
      assertThat(Files.exists(model.resolve("saved_model/saved_model.pb")), equalTo(true));
      assertThat(Files.exists(model.resolve("checkpoints/last.npz")), equalTo(true));
      assertThat("work folder removed", Files.exists(tmp.resolve("." + model.getFileName() + ".training")),
          equalTo(false));
      Map<?, ?> meta = new com.fasterxml.jackson.databind.ObjectMapper().readValue(model.resolve("model.json").toFile(),
          Map.class);
      assertThat(((Map<?, ?>) meta.get("data")).get("trainImages"), equalTo(60));
      assertThat(((Map<?, ?>) meta.get("config")).get("shuffleBuffer"), equalTo(20));
    }
    assertThat(log(relative), equalTo(log(byUri)));
    Map<String, NamedArray> a = Npz.read(byUri.resolve("checkpoints/last.npz"));
    Map<String, NamedArray> b = Npz.read(relative.resolve("checkpoints/last.npz"));
    assertThat(b.keySet(), equalTo(a.keySet()));
    for (String k : a.keySet()) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(a.get(k).values(), b.get(k).values(), 0f, k);
    }
  }

  @Test
  void initWeightsOnAnyFileSystemLoadTheSameWeights() throws Exception {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    Path images = tmp.resolve("images");
    PlantedShards.write(images, "train", 60, 16, 1);
    PlantedShards.write(images, "validate", 20, 16, 2);
    Path first = tmp.resolve("first");
    TrainPipeline.run(options(images.toString(), first.toString()));
    // the first model's backbone (torchvision names, no optimizer or trainer state): an initWeights file
    Map<String, NamedArray> trained = new java.util.LinkedHashMap<>(Npz.read(first.resolve("checkpoints/last.npz")));
    trained.keySet().removeIf(k -> !k.startsWith("features."));
    Path weights = Files.createDirectories(tmp.resolve("weights dir")).resolve("w.npz");
    Npz.write(weights, trained);

    Path local = tmp.resolve("from-local");
    TrainOptions fromLocal = options(images.toString(), local.toString());
    fromLocal.setInitWeights(weights.toString());
    TrainPipeline.run(fromLocal);
    Path fake = tmp.resolve("from-fakefs");
    TrainOptions fromFake = options(images.toString(), fake.toString());
    fromFake.setInitWeights(FakeSchemeFileSystem.SCHEME + "://" + weights.toAbsolutePath());
    TrainPipeline.run(fromFake);

    Map<String, NamedArray> a = Npz.read(local.resolve("checkpoints/last.npz"));
    Map<String, NamedArray> b = Npz.read(fake.resolve("checkpoints/last.npz"));
    for (String k : a.keySet()) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(a.get(k).values(), b.get(k).values(), 0f, k);
    }
    // and the weights were used: starting from the first model's weights ends elsewhere than from scratch
    Map<String, NamedArray> scratch = Npz.read(first.resolve("checkpoints/last.npz"));
    String conv = "features.conv1.weight";
    assertThat(java.util.Arrays.equals(scratch.get(conv).values(), a.get(conv).values()), equalTo(false));
    Map<?, ?> meta = new com.fasterxml.jackson.databind.ObjectMapper().readValue(fake.resolve("model.json").toFile(),
        Map.class);
    assertThat(((Map<?, ?>) meta.get("config")).get("initWeights"),
        equalTo(Resources.absolute(FakeSchemeFileSystem.SCHEME + "://" + weights.toAbsolutePath())));
  }

  @Test
  void refusesAMissingInitWeightsAndABadBuffer() throws Exception {
    Path images = tmp.resolve("images");
    PlantedShards.write(images, "train", 4, 16, 1);
    PlantedShards.write(images, "validate", 4, 16, 2);
    TrainOptions o = options(images.toString(), tmp.resolve("m").toString());
    o.setInitWeights(tmp.resolve("none.npz").toString());
    assertThat(assertThrows(IllegalArgumentException.class, () -> TrainPipeline.run(o)).getMessage(),
        containsString("--initWeights " + tmp.resolve("none.npz") + ": no such file"));
    TrainOptions p = options(images.toString(), tmp.resolve("m").toString());
    p.setShuffleBuffer(0);
    assertThat(assertThrows(IllegalArgumentException.class, () -> TrainPipeline.run(p)).getMessage(),
        containsString("--shuffleBuffer must be at least 1, got 0"));
  }

  @Test
  void workFolderIsBesideTheOutputOnAnyFileSystem() {
    assertThat(TrainPipeline.workDir("/runs/models/disease"), equalTo("/runs/models/.disease.training"));
    assertThat(TrainPipeline.workDir("/runs/models/disease/"), equalTo("/runs/models/.disease.training"));
  }
}
