package org.chexaudit.pipelines;

import org.chexaudit.pipelines.cli.Cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.options.PredictOptions;
import org.chexaudit.pipelines.options.TrainOptions;
import org.chexaudit.schemas.TrustedSchemas;

/**
 * Benchmark behind benchmarks/imaging-benchmark.sh (inference part): for each architecture, makes a
 * model (one epoch on {@code trainCount} images), then runs the predict command on {@code count} test images
 * on the Direct runner and on embedded Flink at parallelism 1 and 2, with one TensorFlow thread per
 * worker so that the scaling with workers is visible. Prints images/s per run (whole pipeline: start-up,
 * model load per worker, Avro and CSV writing included) and the marginal rate, {@code (test - 8) /
 * (t(test) - t(8 validation images))}, which leaves the fixed cost out.
 *
 * <p>Arguments: work folder, architectures (default smallcnn,resnet34,densenet121), test images
 * (default 160), image size (default 224), training images (default 48).
 */
public final class InferenceBenchmark {
  /** Validation images: a short predict run on them measures each configuration's fixed cost. */
  static final int VALIDATION = 8;

  private InferenceBenchmark() {}

  /** One runner configuration: a name and its command-line options. */
  private record RunnerArgs(String name, int workers, String... args) {}

  public static void main(String[] args) throws Exception {
    TrustedSchemas.install();
    Path work = Paths.get(args.length > 0 ? args[0] : "target/inference-benchmark");
    String[] archs = (args.length > 1 ? args[1] : "smallcnn,resnet34,densenet121").split(",");
    int count = args.length > 2 ? Integer.parseInt(args[2]) : 160;
    int size = args.length > 3 ? Integer.parseInt(args[3]) : 224;
    int trainCount = args.length > 4 ? Integer.parseInt(args[4]) : 48;

    Path shards = work.resolve("shards-" + size);
    if (!Files.isDirectory(shards.resolve("images/test"))) {
      PlantedShards.write(shards, "train", trainCount, size, 1);
      PlantedShards.write(shards, "validate", VALIDATION, size, 2);
      PlantedShards.write(shards, "test", count, size, 3);
    }
    List<RunnerArgs> runners = List.of(
        new RunnerArgs("direct", 1, "--runner=DirectRunner", "--targetParallelism=1"),
        new RunnerArgs("direct", 2, "--runner=DirectRunner", "--targetParallelism=2"),
        new RunnerArgs("flink[local]", 1, "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=1"),
        new RunnerArgs("flink[local]", 2, "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"));

    List<String> table = new ArrayList<>();
    table.add(String.format(Locale.ROOT, "%-12s %-13s %7s %7s %9s %9s %9s", "arch", "runner", "workers", "images",
        "seconds", "images/s", "marginal"));
    for (String arch : archs) {
      Path model = work.resolve("model-" + arch + "-" + size);
      ensureModel(arch, shards, model);
      for (RunnerArgs r : runners) {
        // the 8 validation images give the fixed cost (start-up, model load per worker), so the
        // marginal rate of the test images is what a larger set would see
        double fixed = predict(model, shards, "validate", r, work.resolve("predict-" + arch + "-fixed"));
        double s = predict(model, shards, "test", r,
            work.resolve("predict-" + arch + "-" + r.name() + "-" + r.workers()));
        // under a second between the two runs is start-up noise, not a rate
        String marginal = s - fixed < 1.0 ? "-" : String.format(Locale.ROOT, "%.2f", (count - VALIDATION) / (s - fixed));
        String line = String.format(Locale.ROOT, "%-12s %-13s %7d %7d %9.1f %9.2f %9s", arch, r.name(),
            r.workers(), count, s, count / s, marginal);
        System.out.println(line);
        table.add(line);
      }
    }
    System.out.println();
    System.out.printf("inference: %d test images of %dx%d, batch 16, 1 TensorFlow thread per worker;"
        + " marginal = images/s once started (fixed cost from a run on %d images left out)%n", count, size, size,
        VALIDATION);
    table.forEach(System.out::println);
  }

  /** Runs the predict command on one split; returns its wall seconds. */
  private static double predict(Path model, Path shards, String split, RunnerArgs r, Path out) {
    PredictOptions o = PipelineOptionsFactory.fromArgs(Cli.withRunnerDefaults(r.args()))
        .as(PredictOptions.class);
    o.setModel(model.toString());
    o.setShards(shards.toString());
    o.setSplits(split);
    o.setEmbeddings(false);
    o.setThreads(1);
    o.setBatchSize(16);
    o.setOutput(out.toString());
    o.setOverwrite(true);
    long t0 = System.nanoTime();
    PredictPipeline.run(o);
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * Trains a model for one epoch (only to have one: its weights do not change inference speed), unless
   * {@code model} already holds a finished one. Steady-state training speed is models-benchmark.sh's.
   */
  private static void ensureModel(String arch, Path shards, Path model) throws Exception {
    if (Files.isRegularFile(model.resolve("saved_model/saved_model.pb"))) {
      return;
    }
    TrainOptions o = PipelineOptionsFactory.fromArgs(Cli.withRunnerDefaults(new String[0]))
        .as(TrainOptions.class);
    o.setShards(shards.toString());
    o.setOutput(model.toString());
    o.setArch(arch);
    o.setEpochs(1);
    o.setBatchSize(16);
    o.setThreads(0);
    o.setOverwrite(true);
    long t0 = System.nanoTime();
    TrainPipeline.run(o);
    System.out.printf(Locale.ROOT, "%s: model for the benchmark trained (1 epoch) in %.1f s%n", arch,
        (System.nanoTime() - t0) / 1e9);
  }
}
