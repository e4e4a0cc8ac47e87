package org.chexaudit.pipelines;

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
 * Benchmark behind benchmarks/imaging-benchmark.sh (inference and training part): for each
 * architecture, trains a model for one epoch on {@code trainCount} images (training images/s, one
 * process with TensorFlow on all cores), then runs the predict command on {@code count} test images
 * on the Direct runner and on embedded Flink at parallelism 1 and 2, with one TensorFlow thread per
 * worker so that the scaling with workers is visible, and prints images/s per run (whole pipeline:
 * start-up, model load per worker, Avro and CSV writing included).
 *
 * <p>Arguments: work folder, architectures (default smallcnn,resnet34,densenet121), test images
 * (default 96), image size (default 224), training images (default 48).
 */
public final class InferenceBenchmark {
  private InferenceBenchmark() {}

  /** One runner configuration: a name and its command-line options. */
  private record RunnerArgs(String name, int workers, String... args) {}

  public static void main(String[] args) throws Exception {
    TrustedSchemas.install();
    Path work = Paths.get(args.length > 0 ? args[0] : "target/inference-benchmark");
    String[] archs = (args.length > 1 ? args[1] : "smallcnn,resnet34,densenet121").split(",");
    int count = args.length > 2 ? Integer.parseInt(args[2]) : 96;
    int size = args.length > 3 ? Integer.parseInt(args[3]) : 224;
    int trainCount = args.length > 4 ? Integer.parseInt(args[4]) : 48;

    Path shards = work.resolve("shards-" + size);
    if (!Files.isDirectory(shards.resolve("images/test"))) {
      PlantedShards.write(shards, "train", trainCount, size, 1);
      PlantedShards.write(shards, "validate", 8, size, 2);
      PlantedShards.write(shards, "test", count, size, 3);
    }
    List<RunnerArgs> runners = List.of(
        new RunnerArgs("direct", 1, "--runner=DirectRunner", "--targetParallelism=1"),
        new RunnerArgs("direct", 2, "--runner=DirectRunner", "--targetParallelism=2"),
        new RunnerArgs("flink[local]", 1, "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=1"),
        new RunnerArgs("flink[local]", 2, "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"));

    List<String> table = new ArrayList<>();
    table.add(String.format(Locale.ROOT, "%-12s %-13s %7s %7s %9s %9s", "arch", "runner", "workers", "images",
        "seconds", "images/s"));
    for (String arch : archs) {
      Path model = work.resolve("model-" + arch + "-" + size);
      double trainRate = train(arch, shards, model, trainCount);
      table.add(String.format(Locale.ROOT, "%-12s %-13s %7s %7d %9s %9.2f   (train, 1 epoch, batch 16)",
          arch, "train", "all", trainCount, "", trainRate));
      for (RunnerArgs r : runners) {
        PredictOptions o = PipelineOptionsFactory.fromArgs(Cli.withDirectRunnerChecksOff(r.args()))
            .as(PredictOptions.class);
        o.setModel(model.toString());
        o.setShards(shards.toString());
        o.setSplits("test");
        o.setEmbeddings(false);
        o.setThreads(1);
        o.setBatchSize(16);
        o.setOutput(work.resolve("predict-" + arch + "-" + r.name() + "-" + r.workers()).toString());
        o.setOverwrite(true);
        long t0 = System.nanoTime();
        PredictPipeline.run(o);
        double s = (System.nanoTime() - t0) / 1e9;
        String line = String.format(Locale.ROOT, "%-12s %-13s %7d %7d %9.1f %9.2f", arch, r.name(), r.workers(),
            count, s, count / s);
        System.out.println(line);
        table.add(line);
      }
    }
    System.out.println();
    System.out.printf("inference: %d test images of %dx%d, batch 16, 1 TensorFlow thread per worker%n", count, size,
        size);
    table.forEach(System.out::println);
  }

  /** One epoch of training; returns training images/s as the training log records it. */
  private static double train(String arch, Path shards, Path model, int trainCount) throws Exception {
    TrainOptions o = PipelineOptionsFactory.fromArgs(Cli.withDirectRunnerChecksOff(new String[0]))
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
    double s = (System.nanoTime() - t0) / 1e9;
    List<String> log = Files.readAllLines(model.resolve("training_log.csv"));
    String[] header = log.get(0).split(",");
    String[] last = log.get(log.size() - 1).split(",");
    for (int i = 0; i < header.length; i++) {
      if (header[i].equals("images_per_s")) {
        System.out.printf(Locale.ROOT, "%s: trained 1 epoch on %d images in %.1f s (whole command)%n", arch,
            trainCount, s);
        return Double.parseDouble(last[i]);
      }
    }
    throw new IllegalStateException("training_log.csv has no images_per_s column: " + log.get(0));
  }
}
