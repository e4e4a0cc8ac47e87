package org.chexaudit.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.cli.SynthCommand;
import org.chexaudit.pipelines.options.SynthOptions;
import org.chexaudit.transforms.io.Resources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code s3://} on a real S3 API: S3Proxy started by {@code runners/s3.sh} (state in
 * {@code pipelines/target/s3-test}, port {@code CHEXAUDIT_S3_PORT} or 19000). {@code metrics} and
 * {@code cohort} run from the command line in a JVM of their own, with the Beam options the script prints,
 * reading their inputs from and writing their outputs to {@code s3://}; the outputs, downloaded again
 * through Beam's S3 file system, equal the same commands' on local paths on the Direct runner: every CSV
 * byte for byte, every Avro folder as the same set of records, summary.json without timings
 * ({@link OutputComparison#assertSameOutputs}). The objects must lie in S3Proxy's own storage, and an
 * {@code s3://} output whose endpoint is down must fail before any work, naming the path.
 */
@Tag("slow")
class S3FileSystemTest {
  @TempDir static Path tmp;
  private static Path root;
  private static Map<String, String> keys;
  private static List<String> s3Options;
  private static String bucket;

  @BeforeAll
  static void startS3AndUploadInputs() throws Exception {
    root = FlinkCluster.projectRoot();
    s3("stop", "--clean"); // a fresh bucket
    keys = keys(s3("start"));
    s3Options = Arrays.asList(keys.get("s3_options").split(" "));
    bucket = keys.get("s3_uri");
    assertThat("s3_options of runners/s3.sh", s3Options.size(), is(4));
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.fromArgs(s3Options.toArray(String[]::new)).create());

    Path in = tmp.resolve("in");
    MetricsPipelineTest.writePredictions(Files.createDirectories(in.resolve("metrics")));
    SynthCommand.run(PipelineOptionsFactory.fromArgs("--output=" + in.resolve("synth"), "--patients=300",
        "--images=false", "--seed=5").as(SynthOptions.class));
    Resources.upload(in, Resources.dir(bucket + "/in"));
  }

  @AfterAll
  static void stopS3() throws Exception {
    s3("stop", "--clean");
  }

  @Test
  void metricsReadsAndWritesS3AsItDoesLocalFiles() throws Exception {
    List<String> common = List.of("--scoreColumns=class_0", "--targetColumns=target_0",
        "--groupColumns=race,sex,sex*race", "--bootstrap=50", "--seed=11", "--inSampleThreshold=true");
    Path local = tmp.resolve("metrics-local");
    run("metrics", common, "--predictions=" + tmp.resolve("in/metrics/preds.csv"), "--output=" + local);
    Path fromS3 = runOnS3("metrics", common, "--predictions=" + bucket + "/in/metrics/preds.csv");
    OutputComparison.assertSameOutputs(local, fromS3);
    assertThat(Files.exists(fromS3.resolve("_MANIFEST.json")), is(true));
  }

  @Test
  void cohortReadsAndWritesS3AsItDoesLocalFiles() throws Exception {
    Path synth = tmp.resolve("in/synth");
    Path local = tmp.resolve("cohort-local");
    run("cohort", List.of(), "--trainCsv=" + synth.resolve("CheXpert-v1.0/train.csv"),
        "--demoXlsx=" + synth.resolve("CHEXPERT DEMO.xlsx"), "--output=" + local);
    Path fromS3 = runOnS3("cohort", List.of(), "--trainCsv=" + bucket + "/in/synth/CheXpert-v1.0/train.csv",
        "--demoXlsx=" + bucket + "/in/synth/CHEXPERT DEMO.xlsx");
    OutputComparison.assertSameOutputs(local, fromS3);
  }

  @Test
  void anS3OutputWhoseEndpointIsDownFailsBeforeAnyWorkNamingThePath() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    List<String> args = new ArrayList<>(List.of("metrics", "--predictions=" + tmp.resolve("in/metrics/preds.csv"),
        "--scoreColumns=class_0", "--targetColumns=target_0", "--output=" + bucket + "/down/metrics"));
    for (String o : s3Options) {
      args.add(o.startsWith("--endpoint=") ? "--endpoint=http://127.0.0.1:" + port : o);
    }
    Path log = tmp.resolve("down.log");
    Process p = ChildJvm.start(args, log);
    assertThat("finished within 5 minutes", p.waitFor(5, TimeUnit.MINUTES), is(true));
    String out = Files.readString(log);
    assertThat(out, p.exitValue(), is(2));
    assertThat(out, containsString("chexaudit metrics: --output=" + bucket + "/down/metrics: cannot reach "
        + bucket + "/down"));
  }

  /**
   * Runs {@code command} with its inputs on S3 and {@code --output} on S3, then downloads the output through
   * Beam's S3 file system into a local folder, after checking S3Proxy stored it.
   */
  private static Path runOnS3(String command, List<String> common, String... inputs) throws Exception {
    String output = bucket + "/runs/" + command;
    List<String> extra = new ArrayList<>(Arrays.asList(inputs));
    extra.add("--output=" + output);
    extra.addAll(s3Options);
    run(command, common, extra.toArray(String[]::new));
    // in S3Proxy's filesystem backend, not in some local folder named s3:
    Path stored = Path.of(keys.get("s3_data_dir"), keys.get("s3_bucket"), "runs", command, "_MANIFEST.json");
    assertThat(stored + " in S3Proxy's storage", Files.exists(stored), is(true));
    Path downloaded = tmp.resolve(command + "-s3");
    Resources.download(Resources.dir(output), downloaded);
    return downloaded;
  }

  private static void run(String command, List<String> common, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(common);
    all.addAll(Arrays.asList(args));
    Path log = tmp.resolve(command + "-" + System.nanoTime() + ".log");
    long t0 = System.nanoTime();
    Process p = ChildJvm.start(all, log);
    boolean done = p.waitFor(10, TimeUnit.MINUTES);
    if (!done) {
      p.destroyForcibly();
    }
    String out = Files.readString(log);
    System.out.printf("chexaudit %s (%.0f s): %s%n", command, (System.nanoTime() - t0) / 1e9,
        String.join(" ", all.subList(1, all.size())));
    assertThat(command + " finished within 10 minutes", done, is(true));
    assertThat(out, p.exitValue(), is(0));
  }

  /** runners/s3.sh ACTION...: its stdout; fails the test with its stderr when it exits non-zero. */
  private static String s3(String... action) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(root.resolve("runners/s3.sh").toString()));
    cmd.addAll(Arrays.asList(action));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile());
    pb.environment().put("CHEXAUDIT_S3_DIR", root.resolve("pipelines/target/s3-test").toString());
    Path err = Files.createTempFile(tmp, "s3sh", ".err");
    Process p = pb.redirectError(err.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat("runners/s3.sh " + String.join(" ", action) + " within 3 minutes", p.waitFor(3, TimeUnit.MINUTES), is(true));
    assertThat("runners/s3.sh " + String.join(" ", action) + ": " + Files.readString(err), p.exitValue(), is(0));
    return out;
  }

  private static Map<String, String> keys(String out) {
    Map<String, String> k = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        k.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    assertThat("s3_options in " + out, k.get("s3_options"), notNullValue());
    return k;
  }
}
