package org.chexaudit.pipelines;

import org.chexaudit.pipelines.cli.SynthCommand;
import org.chexaudit.pipelines.stage.StageOutput;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.options.CohortOptions;
import org.chexaudit.pipelines.options.MetricsOptions;
import org.chexaudit.models.Npz;
import org.chexaudit.pipelines.options.SynthOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults: a training JVM killed with SIGKILL after its first checkpoint resumes to the same model as an
 * uninterrupted run and leaves nothing a later stage takes as finished; a finished output is never
 * replaced without --overwrite; a Flink TaskManager killed mid-job fails the job clearly, leaves no
 * finished output, and a rerun gives the Direct runner's outputs.
 */
@Tag("slow")
class FaultsTest {
  @TempDir Path tmp;

  private static List<String> trainArgs(Path shards, Path out) {
    return List.of("--shards=" + shards, "--output=" + out, "--arch=smallcnn", "--epochs=4", "--batchSize=32",
        "--threads=1", "--seed=9");
  }

  private static Process child(List<String> args, Path log) throws Exception {
    return ChildJvm.start(args, log);
  }

  @Test
  void trainKilledAfterItsFirstCheckpointResumesToTheSameModel() throws Exception {
    Path shards = tmp.resolve("shards");
    PlantedShards.write(shards, "train", 480, 32, 1);
    PlantedShards.write(shards, "validate", 120, 32, 2);

    Path whole = tmp.resolve("whole");
    List<String> a = new ArrayList<>(List.of("train"));
    a.addAll(trainArgs(shards, whole));
    assertThat("uninterrupted run", child(a, tmp.resolve("whole.log")).waitFor(), is(0));

    Path killed = tmp.resolve("killed");
    List<String> b = new ArrayList<>(List.of("train"));
    b.addAll(trainArgs(shards, killed));
    Process p = child(b, tmp.resolve("killed.log"));
    Path checkpoint = tmp.resolve(".killed.training/checkpoints/last.npz");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!Files.exists(checkpoint) && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat("a checkpoint was written while training ran", Files.exists(checkpoint) && p.isAlive(), is(true));
    p.destroyForcibly(); // SIGKILL: no shutdown hooks, no clean-up
    p.waitFor();
    // Outputs are written in place since the FileSystems layer: the folder exists, marked unfinished.
    assertThat("the killed run left no finished model", Files.exists(killed.resolve(StageOutput.MANIFEST)), is(false));
    assertThat("marked unfinished", Files.exists(killed) && !Files.exists(killed.resolve("model.json"))
        && Files.exists(killed.resolve(StageOutput.STARTED)), is(true));
    String refused = assertThrows(IllegalArgumentException.class, () -> PredictPipeline.modelSpec(killed.toString()))
        .getMessage();
    assertThat(refused, containsString("--model"));

    assertThat("resumed run", child(b, tmp.resolve("resumed.log")).waitFor(), is(0));
    String log = Files.readString(tmp.resolve("resumed.log"));
    assertThat(log, containsString("resumed from"));
    assertThat(Files.exists(killed.resolve(StageOutput.MANIFEST)), is(true));
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readValue(killed.resolve("best/best.json").toFile(), Map.class),
        equalTo(json.readValue(whole.resolve("best/best.json").toFile(), Map.class)));
    // Every weight file (best weights, last checkpoint with Adam state) holds the same arrays; the
    // zip entries' timestamps differ, so the arrays are compared, not the bytes.
    List<String> npz = OutputComparison.files(whole, ".npz");
    assertThat(npz.isEmpty(), is(false));
    assertThat(OutputComparison.files(killed, ".npz"), equalTo(npz));
    for (String f : npz) {
      assertThat(f + " equals the uninterrupted run's", Npz.read(killed.resolve(f)), equalTo(Npz.read(whole.resolve(f))));
    }
    List<String> x = Files.readAllLines(whole.resolve("training_log.csv"));
    List<String> y = Files.readAllLines(killed.resolve("training_log.csv"));
    assertThat(y.size(), equalTo(x.size()));
    List<String> header = List.of(x.get(0).split(","));
    for (int r = 1; r < x.size(); r++) {
      String[] u = x.get(r).split(",", -1);
      String[] v = y.get(r).split(",", -1);
      for (int c = 0; c < header.size(); c++) {
        String h = header.get(c).toLowerCase();
        if (!h.contains("second") && !h.contains("time") && !h.contains("eta") && !h.contains("per_s")) {
          assertThat("training_log.csv row " + r + " " + h, v[c], equalTo(u[c]));
        }
      }
    }
    ReliabilityLog.record("faults", "train-kill-9", "SIGKILL after the first checkpoint",
        "resumed; every weight array and the validation log equal", 1, 1, 0, 0);
    ReliabilityLog.record("faults", "no-half-output", "killed stage", "no output folder, predict refuses it", 1, 1, 0, 0);
  }

  @Test
  void finishedOutputIsNeverReplacedWithoutOverwrite() throws Exception {
    Path preds = MetricsPipelineTest.writePredictions(tmp);
    Path out = tmp.resolve("metrics");
    MetricsPipeline.run(MetricsPipelineTest.options(preds, out, "--bootstrap=0"));
    byte[] before = Files.readAllBytes(out.resolve("metrics.csv"));
    String message = assertThrows(StageOutput.StageOutputException.class,
        () -> MetricsPipeline.run(MetricsPipelineTest.options(preds, out, "--bootstrap=0", "--minGroupSize=5")))
        .getMessage();
    assertThat(message, containsString("--overwrite=true"));
    assertThat(Files.readAllBytes(out.resolve("metrics.csv")), equalTo(before));
    MetricsPipeline.run(MetricsPipelineTest.options(preds, out, "--bootstrap=0", "--overwrite=true"));
    assertThat(Files.exists(out.resolve(StageOutput.MANIFEST)), is(true));
    ReliabilityLog.record("faults", "rerun-without-overwrite", "second run into a finished output",
        "refused: " + message, 1, 1, 0, 0);
  }

  @Test
  void taskManagerKilledMidJobFailsClearlyAndARerunMatchesDirect() throws Exception {
    Path synth = tmp.resolve("synth");
    SynthCommand.run(PipelineOptionsFactory.fromArgs("--output=" + synth, "--patients=300", "--images=false",
        "--seed=8").as(SynthOptions.class));
    Path preds = tmp.resolve("preds.csv");
    List<String> lines = new ArrayList<>(List.of("id,class_0,target_0,race,sex"));
    java.util.Random rnd = new java.util.Random(3);
    for (int i = 0; i < 20000; i++) {
      int y = rnd.nextInt(4) == 0 ? 1 : 0;
      lines.add("r" + i + "," + (0.3 * y + rnd.nextDouble()) + "," + y + "," + "WAB".charAt(i % 3) + ","
          + (i % 2 == 0 ? "F" : "M"));
    }
    Files.write(preds, lines);
    List<String> base = List.of("--predictions=" + preds, "--scoreColumns=class_0", "--targetColumns=target_0",
        "--groupColumns=race,sex", "--bootstrap=2000", "--seed=4", "--inSampleThreshold=true");
    Path direct = tmp.resolve("direct");
    List<String> d = new ArrayList<>(base);
    d.add("--output=" + direct);
    MetricsPipeline.run(PipelineOptionsFactory.fromArgs(d.toArray(String[]::new)).as(MetricsOptions.class));

    try (FlinkCluster cluster = FlinkCluster.start()) {
      List<String> c = new ArrayList<>(base);
      c.addAll(List.of("--runner=FlinkRunner", "--flinkMaster=" + FlinkCluster.MASTER, "--parallelism=2",
          "--filesToStage=" + FlinkCluster.shadedJar(), "--jobName=chexaudit-fault-tm-kill"));
      Path failed = tmp.resolve("failed");
      List<String> f = new ArrayList<>(c);
      f.add("--output=" + failed);
      CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> {
        try {
          MetricsPipeline.run(PipelineOptionsFactory.fromArgs(f.toArray(String[]::new)).as(MetricsOptions.class));
          return null;
        } catch (Throwable t) {
          return t;
        }
      });
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (System.nanoTime() < deadline && !run.isDone()) {
        String jobs = FlinkCluster.jobsOverview();
        if (jobs != null && jobs.contains("chexaudit-fault-tm-kill") && jobs.contains("\"RUNNING\"")) {
          break;
        }
        Thread.sleep(100);
      }
      Thread.sleep(2000); // let the tasks deploy and start working
      assertThat("the job was still running when the TaskManager was killed", run.isDone(), is(false));
      cluster.killTaskManager();
      Throwable t = run.get(5, TimeUnit.MINUTES);
      assertThat("the job failed", t != null, is(true));
      String message = t.toString() + (t.getCause() == null ? "" : " <- " + t.getCause());
      System.out.println("TaskManager kill -> " + message);
      assertThat("no finished output after the failure", Files.exists(failed.resolve(StageOutput.MANIFEST)), is(false));

      cluster.restart();
      Path rerun = tmp.resolve("rerun");
      List<String> r = new ArrayList<>(c);
      r.add("--output=" + rerun);
      MetricsPipeline.run(PipelineOptionsFactory.fromArgs(r.toArray(String[]::new)).as(MetricsOptions.class));
      OutputComparison.assertSameOutputs(direct, rerun);
      ReliabilityLog.record("faults", "flink-taskmanager-kill-9", "SIGKILL of the TaskManager mid-job",
          "job failed (" + t.getClass().getSimpleName() + "), no output; rerun identical to Direct", 20000, 20000, 0, 0);
    }
  }
}
