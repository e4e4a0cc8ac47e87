package org.chexaudit.pipelines;

import org.chexaudit.pipelines.cli.SynthCommand;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.options.ChexclusionEvalOptions;
import org.chexaudit.pipelines.options.CohortOptions;
import org.chexaudit.pipelines.options.MetricsOptions;
import org.chexaudit.pipelines.options.PredictOptions;
import org.chexaudit.pipelines.options.SynthOptions;
import org.chexaudit.pipelines.options.TrainOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * cohort, metrics (with bootstrap) and predict on the Direct runner, on embedded Flink ({@code [local]})
 * and on the real local session cluster ({@code localhost:8081}, started here and stopped after): the
 * same outputs on all three. Needs the shaded jar (the cluster loads the job's code from it).
 */
@Tag("slow")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlinkEquivalenceTest {
  @TempDir static Path tmp;
  static Path trainCsv;
  static Path demoXlsx;

  /** Runner arguments: Direct at parallelism 2, Flink [local] at 2, the cluster at 2. */
  static List<String[]> runners(String job) {
    return List.of(
        new String[] {"direct", "--runner=DirectRunner", "--targetParallelism=2"},
        new String[] {"flink-local", "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"},
        new String[] {"cluster", "--runner=FlinkRunner", "--flinkMaster=" + FlinkCluster.MASTER, "--parallelism=2",
            "--filesToStage=" + FlinkCluster.shadedJar(), "--jobName=" + job});
  }

  @BeforeAll
  static void data() throws Exception {
    Path synth = tmp.resolve("synth");
    SynthOptions s = PipelineOptionsFactory.fromArgs("--output=" + synth, "--patients=400", "--images=false",
        "--seed=5").as(SynthOptions.class);
    SynthCommand.run(s);
    trainCsv = synth.resolve("CheXpert-v1.0/train.csv");
    demoXlsx = synth.resolve("CHEXPERT DEMO.xlsx");
  }

  private static String[] args(List<String> base, String[] runner) {
    List<String> a = new ArrayList<>(base);
    for (int i = 1; i < runner.length; i++) {
      a.add(runner[i]);
    }
    return a.toArray(String[]::new);
  }

  private static void assertJobListed(String job) throws Exception {
    assertThat("the cluster's job list", FlinkCluster.jobsOverview(), containsString(job));
  }

  @Test
  @Order(1)
  void cohortMetricsChexclusionEvalAndPredictAreTheSameOnDirectFlinkLocalAndTheCluster() throws Exception {
    // predictions to audit, and a model to predict with (trained once, on the Direct runner)
    Path images = tmp.resolve("shards");
    PlantedShards.write(images, "train", 160, 16, 1);
    PlantedShards.write(images, "validate", 40, 16, 2);
    PlantedShards.write(images, "test", 120, 16, 3);
    Path model = tmp.resolve("model");
    TrainOptions t = PipelineOptionsFactory.fromArgs("--shards=" + images, "--output=" + model, "--arch=smallcnn",
        "--epochs=1", "--batchSize=32", "--threads=2").as(TrainOptions.class);
    TrainPipeline.run(t);
    Path preds = MetricsPipelineTest.writePredictions(tmp);

    try (FlinkCluster cluster = FlinkCluster.start()) {
      Path first = null;
      for (String[] r : runners("chexaudit-eq-cohort")) {
        Path out = tmp.resolve("cohort-" + r[0]);
        CohortPipeline.run(PipelineOptionsFactory.fromArgs(args(List.of("--trainCsv=" + trainCsv,
            "--demoXlsx=" + demoXlsx, "--output=" + out), r)).as(CohortOptions.class));
        if (first == null) {
          first = out;
        } else {
          OutputComparison.assertSameOutputs(first, out);
        }
      }
      assertJobListed("chexaudit-eq-cohort");

      first = null;
      for (String[] r : runners("chexaudit-eq-metrics")) {
        Path out = tmp.resolve("metrics-" + r[0]);
        MetricsPipeline.run(PipelineOptionsFactory.fromArgs(args(List.of("--predictions=" + preds,
            "--scoreColumns=class_0", "--targetColumns=target_0", "--groupColumns=race,sex,sex*race",
            "--bootstrap=200", "--seed=11", "--inSampleThreshold=true", "--output=" + out), r)).as(MetricsOptions.class));
        if (first == null) {
          first = out;
        } else {
          OutputComparison.assertSameOutputs(first, out);
        }
      }
      assertJobListed("chexaudit-eq-metrics");

      // chexclusion-eval: three runs read, thresholded and compared in one pipeline; bipred.csv through sorted shards
      Path chexRuns = ChexclusionPipelineTest.writeRuns(Files.createDirectories(tmp.resolve("chexclusion-runs")), 3);
      first = null;
      for (String[] r : runners("chexaudit-eq-chexclusion")) {
        Path out = tmp.resolve("chexclusion-" + r[0]);
        ChexclusionPipeline.run(PipelineOptionsFactory.fromArgs(args(ChexclusionPipelineTest.args(chexRuns, out), r))
            .as(ChexclusionEvalOptions.class));
        if (first == null) {
          first = out;
        } else {
          OutputComparison.assertSameOutputs(first, out);
        }
      }
      assertJobListed("chexaudit-eq-chexclusion");

      first = null;
      for (String[] r : runners("chexaudit-eq-predict")) {
        Path out = tmp.resolve("predict-" + r[0]);
        PredictPipeline.run(PipelineOptionsFactory.fromArgs(args(List.of("--model=" + model, "--shards=" + images,
            "--output=" + out, "--batchSize=16", "--threads=2"), r)).as(PredictOptions.class));
        if (first == null) {
          first = out;
        } else {
          // Same batch size, but a batch may hold other images on another runner: TF's float sums
          // may then round differently, so scores are compared within 1e-5 and the worst gap printed.
          double worst = OutputComparison.assertCsvsClose(first, out, 1e-5);
          System.out.printf("predict %s vs direct: largest score difference %.3g%n", r[0], worst);
          assertThat(worst, lessThanOrEqualTo(1e-5));
        }
      }
      assertJobListed("chexaudit-eq-predict");
    }
  }

  /**
   * Patient-level bootstrap replicates (patient blocks, a singleton side input, joins by patient block and by
   * score block) give the same intervals on every runner.
   */
  @Test
  @Order(2)
  void patientLevelBootstrapIsTheSameOnDirectFlinkLocalAndTheCluster() throws Exception {
    Path preds = MetricsPipelineTest.writePredictions(java.nio.file.Files.createDirectories(tmp.resolve("patient")));
    try (FlinkCluster cluster = FlinkCluster.start()) {
      Path first = null;
      for (String[] r : runners("chexaudit-eq-patient-bootstrap")) {
        Path out = tmp.resolve("patient-metrics-" + r[0]);
        MetricsPipeline.run(PipelineOptionsFactory.fromArgs(args(List.of("--predictions=" + preds,
            "--scoreColumns=class_0", "--targetColumns=target_0", "--groupColumns=race,sex,sex*race",
            "--bootstrap=200", "--bootstrapUnit=patient", "--patientColumn=patient", "--seed=11",
            "--inSampleThreshold=true", "--output=" + out), r)).as(MetricsOptions.class));
        if (first == null) {
          first = out;
        } else {
          OutputComparison.assertSameOutputs(first, out);
        }
      }
      assertJobListed("chexaudit-eq-patient-bootstrap");
    }
  }
}
