package org.chexaudit.pipelines;

import org.chexaudit.pipelines.cli.SynthCommand;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.options.CohortOptions;
import org.chexaudit.pipelines.options.MetricsOptions;
import org.chexaudit.pipelines.options.ResampleOptions;
import org.chexaudit.pipelines.options.SynthOptions;
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
}
