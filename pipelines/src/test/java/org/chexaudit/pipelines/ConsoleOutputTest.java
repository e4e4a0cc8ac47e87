package org.chexaudit.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.chexaudit.pipelines.cli.ConsoleLogging;
import org.chexaudit.pipelines.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees on stderr, observed on real commands in child JVMs started like {@code bin/chexaudit}
 * starts them: the command's own progress lines, and library lines (Beam's internal warnings, TensorFlow's
 * native log) only with {@code --verbose}.
 */
class ConsoleOutputTest {
  /** A line of the default console: time, level, and a line of ours (they start with the command). */
  private static final String OWN_LINE = "\\d\\d:\\d\\d:\\d\\d \\[INFO\\] %s: .*";

  @TempDir Path tmp;

  private static List<String> java(String command, List<String> args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments()); // surefire's: heap, caches, Avro
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), command));
    cmd.addAll(args);
    return cmd;
  }

  /** Runs the command with nothing from the environment that filters logs; returns its stderr lines. */
  private List<String> stderrOf(String command, List<String> args) throws Exception {
    Path err = Files.createTempFile(tmp, command, ".err");
    ProcessBuilder pb = new ProcessBuilder(java(command, args))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(err.toFile());
    pb.environment().remove("TF_CPP_MIN_LOG_LEVEL");
    assertThat(command + " exit status; stderr:\n" + Files.readString(err), pb.start().waitFor(), is(0));
    return Files.readAllLines(err);
  }

  private List<String> cohortArgs(String out) throws Exception {
    ChexpertFixture f = ChexpertFixture.write(tmp.resolve("data"));
    return List.of("--trainCsv=" + f.trainCsv, "--demoXlsx=" + f.demoXlsx, "--output=" + tmp.resolve(out));
  }

  @Test
  void cohortPrintsOnlyItsOwnLinesByDefault() throws Exception {
    List<String> lines = stderrOf("cohort", cohortArgs("cohort"));

    assertThat(lines, hasItem(matchesPattern(String.format(OWN_LINE, "cohort") + "rows read.*")));
    // Beam warns "Failed to match temporary files under ..." for every empty output; not a user's concern.
    assertThat(lines, everyItem(matchesPattern(String.format(OWN_LINE, "cohort"))));
  }

  @Test
  void verboseShowsBeamsOwnLines() throws Exception {
    List<String> args = new ArrayList<>(cohortArgs("cohort"));
    args.add(ConsoleLogging.VERBOSE_FLAG);
    List<String> lines = stderrOf("cohort", args);

    assertThat(lines, hasItem(matchesPattern(".*org\\.apache\\.beam\\..*")));
    assertThat(lines, hasItem(matchesPattern(".*\\[INFO\\] org\\.chexaudit\\.pipelines\\.CohortPipeline - cohort: .*")));
  }

  @Test
  void stagesOfTheAuditShowNoTensorFlowNativeLog() throws Exception {
    Path shards = tmp.resolve("shards");
    PlantedShards.write(shards, "train", 16, 16, 1);
    PlantedShards.write(shards, "validate", 8, 16, 2);
    List<String> train = List.of("--shards=" + shards, "--arch=smallcnn", "--epochs=1", "--batchSize=8",
        "--threads=1", "--seed=3");

    // Control: started without the launcher's or the audit's settings, TensorFlow writes its native log.
    List<String> plain = new ArrayList<>(train);
    plain.add("--output=" + tmp.resolve("plain"));
    assertThat(stderrOf("train", plain), hasItem(matchesPattern("^(WARNING: All log messages before absl|"
        + "[IW][0-9]{4} |[0-9-]{10} [0-9:.]+: [IW] tensorflow/).*")));

    List<String> staged = new ArrayList<>(train);
    staged.add("--output=" + tmp.resolve("staged"));
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8)) {
      assertThat(ConsoleLogging.runChild(new ProcessBuilder(java("train", staged)), out), is(0));
    }
    List<String> lines = console.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines, hasItem(matchesPattern(String.format(OWN_LINE, "train") + "model .*")));
    assertThat(lines.stream().filter(l -> !l.matches("\\d\\d:\\d\\d:\\d\\d \\[INFO\\] .*")).toList(), is(empty()));
    assertThat(lines, everyItem(not(matchesPattern(".*(tensorflow|absl|mlir).*"))));
  }
}
