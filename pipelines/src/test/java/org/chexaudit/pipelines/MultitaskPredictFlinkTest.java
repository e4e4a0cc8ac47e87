package org.chexaudit.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.options.PredictOptions;
import org.chexaudit.pipelines.options.TrainOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multitask {@code predict} on embedded Flink ({@code [local]}, batch mode): its three heads' CSVs per
 * split come from one pass over each split's rows (issue 18 item 6: the earlier version iterated a
 * GroupByKey result once per head, which Flink's batch mode refuses), and equal the Direct runner's
 * within float rounding.
 */
@Tag("slow")
class MultitaskPredictFlinkTest {
  @TempDir Path tmp;

  @Test
  void multitaskPredictRunsOnFlinkAndEqualsDirect() throws Exception {
    Path images = tmp.resolve("shards");
    PlantedShards.write(images, "train", 64, 16, 1);
    PlantedShards.write(images, "validate", 24, 16, 2);
    PlantedShards.write(images, "test", 40, 16, 3);
    Path model = tmp.resolve("model");
    TrainPipeline.run(PipelineOptionsFactory.fromArgs("--shards=" + images, "--output=" + model, "--arch=smallcnn",
        "--task=multitask", "--epochs=1", "--batchSize=32", "--threads=2").as(TrainOptions.class));

    Path direct = tmp.resolve("direct");
    Path flink = tmp.resolve("flink");
    PredictPipeline.run(predict(model, images, direct, "--runner=DirectRunner", "--targetParallelism=2"));
    PredictPipeline.run(predict(model, images, flink, "--runner=FlinkRunner", "--flinkMaster=[local]",
        "--parallelism=2"));

    for (String split : List.of("val", "test")) {
      for (String head : List.of("disease", "sex", "race")) {
        List<String> rows = Files.readAllLines(flink.resolve("predictions." + split + "." + head + ".csv"));
        assertThat(split + " " + head + " rows", rows.size(), equalTo(split.equals("val") ? 25 : 41));
      }
    }
    double worst = OutputComparison.assertCsvsClose(direct, flink, 1e-5);
    System.out.printf("multitask predict flink vs direct: largest score difference %.3g%n", worst);
    assertThat(worst, lessThanOrEqualTo(1e-5));
  }

  private static PredictOptions predict(Path model, Path images, Path out, String... runner) {
    List<String> args = new java.util.ArrayList<>(List.of("--model=" + model, "--shards=" + images,
        "--output=" + out, "--batchSize=16", "--threads=2", "--embeddingsCsv=true"));
    args.addAll(List.of(runner));
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).as(PredictOptions.class);
  }
}
