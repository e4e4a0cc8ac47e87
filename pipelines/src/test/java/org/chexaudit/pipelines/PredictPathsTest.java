package org.chexaudit.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.options.PredictOptions;
import org.chexaudit.pipelines.options.TrainOptions;
import org.chexaudit.pipelines.stage.StageOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code predict} with its model, shards and output given as {@code file:///} URIs and as relative paths
 * writes what it writes for plain absolute paths, and leaves none of its CSV shards behind.
 */
class PredictPathsTest {
  @TempDir Path tmp;

  @Test
  void fileUrisAndRelativePathsWriteWhatPlainPathsWrite() throws Exception {
    Path images = tmp.resolve("shards");
    PlantedShards.write(images, "train", 48, 16, 1);
    PlantedShards.write(images, "validate", 16, 16, 2);
    PlantedShards.write(images, "test", 40, 16, 3);
    Path model = tmp.resolve("model");
    TrainPipeline.run(PipelineOptionsFactory.fromArgs("--shards=" + images, "--output=" + model, "--arch=smallcnn",
        "--epochs=1", "--batchSize=16", "--threads=2").as(TrainOptions.class));

    Path plain = tmp.resolve("plain");
    PredictPipeline.run(predict(model.toString(), images.toString(), plain.toString()));
    Path uris = tmp.resolve("uris");
    PredictPipeline.run(predict(model.toUri().toString(), images.toUri().toString(), uris.toUri().toString()));
    Path cwd = Path.of("").toAbsolutePath();
    Path relative = tmp.resolve("relative");
    PredictPipeline.run(predict(cwd.relativize(model).toString(), cwd.relativize(images).toString(),
        cwd.relativize(relative).toString()));

    for (Path out : List.of(uris, relative)) {
      assertThat(OutputComparison.files(out, ".csv"), equalTo(OutputComparison.files(plain, ".csv")));
      assertThat(OutputComparison.assertCsvsClose(plain, out, 1e-5), lessThanOrEqualTo(1e-5));
      assertThat(Files.exists(out.resolve(StageOutput.MANIFEST)), is(true));
      assertThat(Files.exists(out.resolve(PredictPipeline.CSV_SHARDS)), is(false));
      try (Stream<Path> avro = Files.list(out.resolve("predictions"))) {
        assertThat(avro.anyMatch(p -> p.toString().endsWith(".avro")), is(true));
      }
    }
    assertThat(Files.readAllLines(plain.resolve("predictions.test.csv")).size(), is(41));
    assertThat(Files.readAllLines(plain.resolve("embeddings.val.csv")).size(), is(17));
  }

  private static PredictOptions predict(String model, String shards, String out) {
    return PipelineOptionsFactory.fromArgs("--model=" + model, "--shards=" + shards, "--output=" + out,
        "--batchSize=16", "--threads=2", "--embeddingsCsv=true").as(PredictOptions.class);
  }
}
