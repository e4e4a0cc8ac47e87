package org.chexaudit.pipelines;

import org.chexaudit.pipelines.cli.SynthCommand;

import static org.hamcrest.MatcherAssert.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.options.CohortOptions;
import org.chexaudit.pipelines.options.MetricsOptions;
import org.chexaudit.pipelines.options.PreprocessOptions;
import org.chexaudit.pipelines.options.ResampleOptions;
import org.chexaudit.pipelines.options.SynthOptions;
import org.chexaudit.pipelines.options.TrainOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runs with the same seed, one at Direct parallelism 1 and one at 4, give the same records in every
 * Avro artifact and byte-identical CSVs: cohort, resample, metrics with bootstrap CIs.
 */
@Tag("slow")
class DeterminismTest {
  @TempDir Path tmp;

  private static String[] args(List<String> base, String... more) {
    List<String> a = new ArrayList<>(base);
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  @Test
  void sameSeedSameOutputsAtAnyParallelism() throws Exception {
    Path synth = tmp.resolve("synth");
    SynthCommand.run(PipelineOptionsFactory.fromArgs("--output=" + synth, "--patients=500", "--images=false",
        "--seed=12").as(SynthOptions.class));
    List<String> cohort = List.of("--trainCsv=" + synth.resolve("CheXpert-v1.0/train.csv"),
        "--demoXlsx=" + synth.resolve("CHEXPERT DEMO.xlsx"), "--stratifyBy=race,sex");
    Path[] cohorts = new Path[2];
    Path[] resampled = new Path[2];
    Path[] metrics = new Path[2];
    Path preds = MetricsPipelineTest.writePredictions(tmp);
    String[] parallelism = {"1", "4"};
    for (int i = 0; i < 2; i++) {
      String tp = "--targetParallelism=" + parallelism[i];
      cohorts[i] = tmp.resolve("cohort" + i);
      CohortPipeline.run(PipelineOptionsFactory.fromArgs(args(cohort, "--output=" + cohorts[i], tp))
          .as(CohortOptions.class));
      resampled[i] = tmp.resolve("resample" + i);
      ResamplePipeline.run(PipelineOptionsFactory.fromArgs("--cohort=" + cohorts[i], "--output=" + resampled[i],
          "--seed=7", tp).as(ResampleOptions.class));
      metrics[i] = tmp.resolve("metrics" + i);
      MetricsPipeline.run(PipelineOptionsFactory.fromArgs("--predictions=" + preds, "--scoreColumns=class_0",
          "--targetColumns=target_0", "--groupColumns=race,sex,sex*race", "--bootstrap=500",
          "--bootstrapUnit=patient", "--patientColumn=patient", "--seed=3", "--inSampleThreshold=true", "--output=" + metrics[i], tp)
          .as(MetricsOptions.class));
    }
    OutputComparison.assertSameOutputs(cohorts[0], cohorts[1]);
    OutputComparison.assertSameOutputs(resampled[0], resampled[1]);
    OutputComparison.assertSameOutputs(metrics[0], metrics[1]);
    for (String stage : List.of("cohort", "resample", "metrics")) {
      ReliabilityLog.record("determinism", stage + "-seeded-rerun", "parallelism 1 vs 4",
          "same Avro records, byte-identical CSVs", 1, 1, 0, 0);
    }
  }

  /**
   * preprocess at Direct parallelism 1 and 4 and on Flink [local] writes the same shards (names, and each file's image ids in
   * order), so a training set larger than the shuffle buffer (here 16 images) trains in the same order:
   * the same fingerprint and the same losses, epoch for epoch.
   */
  @Test
  void preprocessShardsAndTheTrainingOrderDoNotDependOnParallelism() throws Exception {
    Path synth = tmp.resolve("synth-images");
    SynthCommand.run(PipelineOptionsFactory.fromArgs("--output=" + synth, "--patients=60", "--minImageSize=40",
        "--maxImageSize=48", "--seed=5").as(SynthOptions.class));
    Path cohort = tmp.resolve("cohort-images");
    CohortPipeline.run(PipelineOptionsFactory.fromArgs("--trainCsv=" + synth.resolve("CheXpert-v1.0/train.csv"),
        "--demoXlsx=" + synth.resolve("CHEXPERT DEMO.xlsx"), "--output=" + cohort).as(CohortOptions.class));
    String[] parallelism = {"1", "4"};
    Path[] images = new Path[2];
    List<List<String>> logs = new ArrayList<>();
    List<Object> fingerprints = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      images[i] = tmp.resolve("images" + i);
      PreprocessPipeline.run(PipelineOptionsFactory.fromArgs("--cohort=" + cohort, "--imageRoot=" + synth,
          "--imageSize=32", "--imagesPerShard=12", "--splits=train,validate", "--output=" + images[i],
          "--targetParallelism=" + parallelism[i]).as(PreprocessOptions.class));
      Path model = tmp.resolve("model" + i);
      TrainPipeline.run(PipelineOptionsFactory.fromArgs("--shards=" + images[i], "--output=" + model,
          "--arch=smallcnn", "--epochs=2", "--batchSize=8", "--shuffleBuffer=16", "--threads=1", "--seed=3")
          .as(TrainOptions.class));
      logs.add(java.nio.file.Files.readAllLines(model.resolve("training_log.csv")).stream()
          .map(l -> l.replaceAll(",[^,]*,[^,]*$", "")).toList()); // without seconds and images/s
      fingerprints.add(((java.util.Map<?, ?>) new com.fasterxml.jackson.databind.ObjectMapper()
          .readValue(model.resolve("model.json").toFile(), java.util.Map.class).get("train")).get("fingerprint"));
    }
    // and on Flink [local] with two workers, where each shard's images are decoded on the worker it is dealt to
    Path flink = tmp.resolve("images-flink");
    PreprocessPipeline.run(PipelineOptionsFactory.fromArgs("--cohort=" + cohort, "--imageRoot=" + synth,
        "--imageSize=32", "--imagesPerShard=12", "--splits=train,validate", "--output=" + flink,
        "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2").as(PreprocessOptions.class));
    for (String split : List.of("train", "validate")) {
      java.util.Map<String, List<String>> a = ShardIds.of(images[0].resolve("images").resolve(split));
      assertThat(split, a.size() > 1, org.hamcrest.Matchers.is(true));
      assertThat(split, ShardIds.of(images[1].resolve("images").resolve(split)), org.hamcrest.Matchers.equalTo(a));
      assertThat(split, ShardIds.of(flink.resolve("images").resolve(split)), org.hamcrest.Matchers.equalTo(a));
    }
    assertThat(fingerprints.get(1), org.hamcrest.Matchers.equalTo(fingerprints.get(0)));
    assertThat(logs.get(0).size(), org.hamcrest.Matchers.is(3));
    assertThat(logs.get(1), org.hamcrest.Matchers.equalTo(logs.get(0)));
  }

  /** Each shard file's image ids, in file order. */
  private static final class ShardIds {
    static java.util.Map<String, List<String>> of(Path dir) throws Exception {
      java.util.Map<String, List<String>> out = new java.util.TreeMap<>();
      try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
        for (Path f : files.filter(x -> x.toString().endsWith(".avro")).toList()) {
          List<String> ids = new ArrayList<>();
          try (org.apache.avro.file.DataFileReader<org.chexaudit.schemas.ImageExample> r =
              new org.apache.avro.file.DataFileReader<>(f.toFile(),
                  new org.apache.avro.specific.SpecificDatumReader<>(org.chexaudit.schemas.ImageExample.class))) {
            r.forEach(e -> ids.add(e.getId().toString()));
          }
          out.put(f.getFileName().toString(), ids);
        }
      }
      return out;
    }
  }
}
