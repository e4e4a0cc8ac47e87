package org.chexaudit.pipelines.cli;

import org.chexaudit.pipelines.stage.StageOutput;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chexaudit.pipelines.options.AuditOptions;

/**
 * The {@code audit} command: the whole chexploration study in one run folder, stage by stage — synth
 * (without {@code --chexpertDir}) → cohort → preprocess → train (disease, sex, race, SPLIT sex and race,
 * optionally multitask) → predict → resample → metrics → explore → report. Each stage is the same
 * command a user can run alone, writing its own folder with a manifest.
 *
 * <p>Resuming: {@code _AUDIT_STATE.json} records each finished stage's fingerprint (its command line and
 * the fingerprints of the stages and input files it reads). On a rerun a stage whose folder is finished
 * and whose fingerprint is unchanged is skipped; a stage whose options or inputs changed is redone, and
 * so is everything downstream of it. {@code --overwrite=true} redoes every stage.
 */
public final class AuditCommand {
  static final String COMMAND = "audit";
  static final String STATE = "_AUDIT_STATE.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** Beam runner options passed on to every stage. */
  private static final List<String> RUNNER_OPTIONS = List.of(
      "--runner", "--flinkMaster", "--parallelism", "--targetParallelism", "--maxParallelism",
      "--filesToStage", "--flinkConfDir", "--objectReuse", "--tempLocation");

  /** One stage: the folder it writes (relative to the run), the command and its arguments. */
  record Stage(String dir, String command, List<String> args, List<String> reads) {}

  private AuditCommand() {}

  public static void main(String[] args) {
    Cli.run(COMMAND, args, AuditOptions.class, options -> run(options, runnerArgs(args)));
  }

  static List<String> runnerArgs(String[] args) {
    return Arrays.stream(args)
        .filter(a -> RUNNER_OPTIONS.stream().anyMatch(o -> a.startsWith(o + "=")))
        .toList();
  }

  /** Runs (or resumes) the study; returns the report's index.html. */
  public static Path run(AuditOptions o, List<String> runnerArgs) {
    Path run = Paths.get(o.getOutput()).toAbsolutePath();
    List<Stage> stages = plan(o, run);
    try {
      Files.createDirectories(run);
      Map<String, String> state = readState(run);
      Map<String, String> fingerprints = new LinkedHashMap<>();
      List<String> timings = new ArrayList<>();
      long start = System.nanoTime();
      int i = 0;
      for (Stage s : stages) {
        i++;
        String fp = fingerprint(s, fingerprints, run);
        fingerprints.put(s.dir(), fp);
        Path out = run.resolve(s.dir());
        boolean done = Files.isRegularFile(out.resolve(StageOutput.MANIFEST));
        String label = String.format("[audit %d/%d] %-22s", i, stages.size(), s.dir());
        if (done && !o.getOverwrite() && fp.equals(state.get(s.dir()))) {
          System.err.println(label + " skipped: finished, inputs and options unchanged");
          timings.add(String.format("%-22s skipped", s.dir()));
          continue;
        }
        List<String> args = new ArrayList<>(s.args());
        args.add("--output=" + out);
        if (done) {
          args.add("--overwrite=true"); // options or inputs changed: the audit owns its run folder
        }
        args.addAll(runnerArgs);
        System.err.println(label + " chexaudit " + s.command() + " " + String.join(" ", s.args()));
        long t0 = System.nanoTime();
        invoke(s.command(), args);
        double secs = (System.nanoTime() - t0) / 1e9;
        state.put(s.dir(), fp);
        writeState(run, state);
        timings.add(String.format("%-22s %7.1f s", s.dir(), secs));
        System.err.printf("%s done in %.1f s%n", label, secs);
      }
      System.err.printf("[audit] finished in %.1f s:%n  %s%n", (System.nanoTime() - start) / 1e9,
          String.join("\n  ", timings));
      Path index = run.resolve("report/index.html");
      System.err.println("[audit] report: " + index);
      return index;
    } catch (IOException e) {
      throw new UncheckedIOException("audit: cannot use run folder " + run + ": " + e.getMessage(), e);
    }
  }

  /** The study's stages in order, with their arguments. */
  static List<Stage> plan(AuditOptions o, Path run) {
    boolean generated = o.getChexpertDir() == null;
    int imageSize = orDefault(o.getImageSize(), generated ? 64 : 224);
    String arch = o.getArch() != null ? o.getArch() : generated ? "smallcnn" : "densenet121";
    Integer epochs = o.getEpochs() != null ? o.getEpochs() : generated ? Integer.valueOf(8) : null;
    int batch = orDefault(o.getBatchSize(), generated ? 32 : 150);
    int bootstrap = orDefault(o.getBootstrap(), generated ? 200 : 2000);
    String seed = "--seed=" + o.getSeed();

    List<Stage> stages = new ArrayList<>();
    Path trainCsv;
    Path demoXlsx;
    Path imageRoot;
    if (generated) {
      List<String> synth = new ArrayList<>(List.of("--patients=" + o.getPatients(), seed));
      synth.addAll(splitWords(o.getSynthOptions()));
      stages.add(new Stage("synth", "synth", synth, List.of()));
      trainCsv = run.resolve("synth/CheXpert-v1.0/train.csv");
      demoXlsx = run.resolve("synth/CHEXPERT DEMO.xlsx");
      imageRoot = run.resolve("synth");
    } else {
      if (o.getDemoXlsx() == null) {
        throw new IllegalArgumentException("--demoXlsx is required with --chexpertDir");
      }
      Path dir = Paths.get(o.getChexpertDir()).toAbsolutePath();
      trainCsv = dir.resolve("train.csv");
      if (!Files.isRegularFile(trainCsv)) {
        throw new IllegalArgumentException("--chexpertDir " + dir + ": no train.csv there");
      }
      demoXlsx = Paths.get(o.getDemoXlsx()).toAbsolutePath();
      imageRoot = dir.getParent();
    }
    List<String> cohort = new ArrayList<>(List.of("--trainCsv=" + trainCsv, "--demoXlsx=" + demoXlsx));
    if (o.getSplitCsv() != null) {
      cohort.add("--splitCsv=" + Paths.get(o.getSplitCsv()).toAbsolutePath());
    }
    stages.add(new Stage("cohort", "cohort", cohort, generated ? List.of("synth") : List.of()));
    stages.add(new Stage("images", "preprocess",
        List.of("--cohort=" + run.resolve("cohort"), "--imageRoot=" + imageRoot, "--imageSize=" + imageSize),
        List.of("cohort")));

    List<String> training = new ArrayList<>(List.of("--shards=" + run.resolve("images"), "--arch=" + arch,
        "--batchSize=" + batch, seed));
    if (epochs != null) {
      training.add("--epochs=" + epochs);
    }
    Map<String, List<String>> models = new LinkedHashMap<>();
    models.put("disease", List.of("--task=disease"));
    models.put("sex", List.of("--task=sex"));
    models.put("race", List.of("--task=race"));
    models.put("sex-split", List.of("--task=sex", "--freezeBackboneFrom=" + run.resolve("models/disease")));
    models.put("race-split", List.of("--task=race", "--freezeBackboneFrom=" + run.resolve("models/disease")));
    if (o.getMultitask()) {
      models.put("multitask", List.of("--task=multitask"));
    }
    for (Map.Entry<String, List<String>> m : models.entrySet()) {
      List<String> args = new ArrayList<>(training);
      args.addAll(m.getValue());
      List<String> reads = m.getKey().endsWith("-split") ? List.of("images", "models/disease") : List.of("images");
      stages.add(new Stage("models/" + m.getKey(), "train", args, reads));
    }
    for (String m : models.keySet()) {
      stages.add(new Stage("predictions/" + m, "predict",
          List.of("--model=" + run.resolve("models/" + m), "--shards=" + run.resolve("images"),
              "--splits=validate,test", "--embeddings=" + m.equals("disease")),
          List.of("models/" + m, "images")));
    }
    if (Main.isAvailable("resample")) {
      stages.add(new Stage("resample", "resample", List.of("--cohort=" + run.resolve("cohort"), seed),
          List.of("cohort")));
    }

    String groups = "--groupsFile=" + run.resolve("cohort/chexpert.sample.test.csv");
    // the originals choose FPR-0.2 and Youden thresholds on the test set itself
    List<String> common = List.of(groups, "--idColumn=id", "--bootstrap=" + bootstrap, seed,
        "--inSampleThreshold=true");
    stages.add(metrics("disease", run, "predictions.test.csv", "class_0,class_10", "target_0,target_10",
        "sex,race,sex*race", "fpr:0.2", common));
    for (String m : List.of("sex", "sex-split")) {
      stages.add(metrics(m, run, "predictions.test.csv", "class_1", "target", "race", "youden",
          m.equals("sex-split") ? with(common, "--thresholdScope=PER_GROUP") : common));
    }
    for (String m : List.of("race", "race-split")) {
      stages.add(metrics(m, run, "predictions.test.csv", "class_0,class_1,class_2", "target=0,target=1,target=2",
          "sex", "youden", m.equals("race-split") ? with(common, "--bootstrapStrata=race") : common));
    }
    if (o.getMultitask()) {
      stages.add(metrics("multitask", run, "predictions.test.disease.csv", "class_0,class_10",
          "target_0,target_10", "sex,race,sex*race", "fpr:0.2", common));
    }
    if (Main.isAvailable("explore")) {
      stages.add(new Stage("explore", "explore",
          List.of("--predictions=" + run.resolve("predictions/disease"), "--cohort=" + run.resolve("cohort"), seed),
          List.of("predictions/disease", "cohort")));
    }
    List<String> all = stages.stream().map(Stage::dir).toList();
    stages.add(new Stage("report", "report", List.of("--run=" + run,
        "--title=chexaudit: " + (generated ? "generated data" : "CheXpert")), all));
    return stages;
  }

  /** {@code args} and {@code extra}: SPLIT evaluations follow results_split_{sex,race}.py (seeds-spec A7.3). */
  private static List<String> with(List<String> args, String extra) {
    List<String> out = new ArrayList<>(args);
    out.add(extra);
    return out;
  }

  private static Stage metrics(String model, Path run, String file, String scores, String targets,
      String groupColumns, String rule, List<String> common) {
    List<String> args = new ArrayList<>(List.of(
        "--predictions=" + run.resolve("predictions/" + model + "/" + file),
        "--scoreColumns=" + scores, "--targetColumns=" + targets, "--groupColumns=" + groupColumns,
        "--thresholdRule=" + rule));
    args.addAll(common);
    return new Stage("metrics/" + model, "metrics", args, List.of("predictions/" + model, "cohort"));
  }

  /** Hash of the command line, the fingerprints of the stages it reads and of the input files it names. */
  static String fingerprint(Stage s, Map<String, String> upstream, Path run) {
    StringBuilder b = new StringBuilder(s.command()).append('\n');
    s.args().forEach(a -> b.append(a).append('\n'));
    for (String r : s.reads()) {
      b.append(r).append('=').append(upstream.getOrDefault(r, "")).append('\n');
    }
    for (String a : s.args()) {
      int eq = a.indexOf('=');
      if (eq > 0) {
        Path p = Paths.get(a.substring(eq + 1));
        if (p.isAbsolute() && !p.startsWith(run) && Files.isRegularFile(p)) {
          b.append(p).append(':').append(p.toFile().length()).append(':').append(p.toFile().lastModified()).append('\n');
        }
      }
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(b.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs one stage as its own JVM, with this JVM's options and classpath: stages keep their memory
   * (TensorFlow's included) to themselves, and a stage that fails stops the audit with its own message.
   */
  private static void invoke(String command, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), command));
    cmd.addAll(args);
    try {
      int rc = new ProcessBuilder(cmd).inheritIO().start().waitFor();
      if (rc != 0) {
        throw new IllegalArgumentException("stage '" + command + "' failed (exit status " + rc
            + "); fix the cause and rerun the same audit command to resume from this stage");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start stage '" + command + "': " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("audit interrupted during stage '" + command + "'", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> readState(Path run) throws IOException {
    Path f = run.resolve(STATE);
    return Files.isRegularFile(f) ? new LinkedHashMap<>(JSON.readValue(f.toFile(), Map.class)) : new LinkedHashMap<>();
  }

  private static void writeState(Path run, Map<String, String> state) throws IOException {
    Path tmp = run.resolve(STATE + ".tmp");
    JSON.writeValue(tmp.toFile(), state);
    Files.move(tmp, run.resolve(STATE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static int orDefault(Integer v, int d) {
    return v == null ? d : v;
  }

  /** Splits on white space outside double quotes, as a shell would: {@code --a="x y" --b=1}. */
  static List<String> splitWords(String s) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (char c : (s == null ? "" : s).toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
        any = true;
      } else if (Character.isWhitespace(c) && !quoted) {
        if (any) {
          words.add(w.toString());
          w.setLength(0);
          any = false;
        }
      } else {
        w.append(c);
        any = true;
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("--synthOptions has an unclosed double quote: " + s);
    }
    if (any) {
      words.add(w.toString());
    }
    return words;
  }
}
