package org.chexaudit.pipelines.cli;

import org.chexaudit.pipelines.stage.StageOutput;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
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
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;
import org.chexaudit.transforms.io.Resources;
import org.chexaudit.core.cohort.CohortSpec;
import org.chexaudit.core.explore.ExploreNames;
import org.chexaudit.core.stats.ThresholdScope;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.options.AuditOptions;
import org.chexaudit.pipelines.options.SeedOption;
import org.chexaudit.pipelines.options.CohortOptions;
import org.chexaudit.pipelines.options.ExploreInput;
import org.chexaudit.pipelines.options.ExploreOptions;
import org.chexaudit.pipelines.options.MetricsOptions;
import org.chexaudit.pipelines.options.PredictOptions;
import org.chexaudit.pipelines.options.PreprocessOptions;
import org.chexaudit.pipelines.options.ReportOptions;
import org.chexaudit.pipelines.options.ResampleOptions;
import org.chexaudit.pipelines.options.SynthOptions;
import org.chexaudit.pipelines.options.TrainOptions;

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
  /** Beam runner and file system options passed on to every stage. */
  private static final List<String> RUNNER_OPTIONS = List.of(
      "--runner", "--flinkMaster", "--parallelism", "--targetParallelism", "--maxParallelism",
      "--filesToStage", "--flinkConfDir", "--objectReuse", "--tempLocation", "--hdfsConfiguration",
      "--executionModeForBatch",
      // s3:// (Beam's AwsOptions and S3Options)
      "--awsRegion", "--endpoint", "--awsCredentialsProvider", "--s3ClientFactoryClass",
      "--httpClientConfiguration", "--proxyConfiguration");

  /**
   * One stage: the folder it writes (relative to the run), the command that writes it, that command's
   * options (typed, set by the plan) and the stages it reads.
   */
  record Stage(String dir, String command, PipelineOptions options, List<String> reads) {
    /** The command line that gives the stage its options in its own JVM (without --output). */
    List<String> args() {
      return StageArgs.of(options, Main.COMMANDS.get(command).options());
    }
  }

  private AuditCommand() {}

  public static void main(String[] args) {
    Cli.run(COMMAND, args, AuditOptions.class, options -> run(options, runnerArgs(args)));
  }

  static List<String> runnerArgs(String[] args) {
    return Arrays.stream(args)
        .filter(a -> RUNNER_OPTIONS.stream().anyMatch(o -> a.startsWith(o + "=")))
        .toList();
  }

  /** Runs (or resumes) the study; returns the report's index.html (any Beam path). */
  public static String run(AuditOptions o, List<String> runnerArgs) {
    String run = Resources.path(Resources.dir(o.getOutput()));
    List<Stage> stages = plan(o, run);
    Map<String, String> state = readState(run);
    Map<String, String> fingerprints = new LinkedHashMap<>();
    AuditProgress progress = new AuditProgress(run, stages.stream().map(Stage::dir).toList(),
        stages.stream().map(Stage::command).toList());
    int i = 0;
    for (Stage s : stages) {
      i++;
      List<String> stageArgs = s.args();
      String fp = fingerprint(s.command(), stageArgs, s.reads(), fingerprints, run);
      fingerprints.put(s.dir(), fp);
      String out = at(run, s.dir());
      boolean done = StageOutput.isFinished(out);
      if (done && !o.getOverwrite() && fp.equals(state.get(s.dir()))) {
        progress.skipped(i - 1);
        continue;
      }
      List<String> args = new ArrayList<>(stageArgs);
      args.add("--output=" + out);
      if (done) {
        args.add("--overwrite=true"); // options or inputs changed: the audit owns its run folder
      }
      args.addAll(runnerArgs);
      progress.starting(i - 1, stageArgs);
      long t0 = System.nanoTime();
      invoke(s.command(), args);
      double secs = (System.nanoTime() - t0) / 1e9;
      state.put(s.dir(), fp);
      writeState(run, state);
      progress.done(i - 1, secs);
    }
    String index = at(run, "report/index.html");
    progress.finished(index);
    return index;
  }

  /** {@code rel} inside the run folder {@code run} (a path with no trailing slash). */
  static String at(String run, String rel) {
    return run + "/" + rel;
  }

  /** The plan for a local run folder. */
  static List<Stage> plan(AuditOptions o, Path run) {
    return plan(o, run.toAbsolutePath().toString());
  }

  /** The study's stages in order, each with its command's options. */
  static List<Stage> plan(AuditOptions o, String run) {
    boolean generated = o.getChexpertDir() == null;
    int imageSize = orDefault(o.getImageSize(), generated ? 64 : 224);
    String arch = o.getArch() != null ? o.getArch() : generated ? "smallcnn" : "densenet121";
    Integer epochs = o.getEpochs() != null ? o.getEpochs() : generated ? Integer.valueOf(8) : null;
    int batch = orDefault(o.getBatchSize(), generated ? 32 : 150);
    int bootstrap = orDefault(o.getBootstrap(), generated ? 200 : 2000);
    long seed = SeedOption.seedOr(o, 42);

    List<Stage> stages = new ArrayList<>();
    String trainCsv;
    String demoXlsx;
    String imageRoot;
    if (generated) {
      // the user's --synthOptions first, so an unknown or malformed one fails here, naming itself
      SynthOptions synth = PipelineOptionsFactory.fromArgs(splitWords(o.getSynthOptions()).toArray(String[]::new))
          .as(SynthOptions.class);
      synth.setPatients(o.getPatients());
      synth.setSeed(seed);
      stages.add(new Stage("synth", "synth", synth, List.of()));
      trainCsv = at(run, "synth/CheXpert-v1.0/train.csv");
      demoXlsx = at(run, "synth/CHEXPERT DEMO.xlsx");
      imageRoot = at(run, "synth");
    } else {
      if (o.getDemoXlsx() == null) {
        throw new IllegalArgumentException("--demoXlsx is required with --chexpertDir");
      }
      ResourceId dir = Resources.dir(o.getChexpertDir());
      trainCsv = Resources.path(Resources.file(dir, "train.csv"));
      if (!Resources.exists(Resources.file(trainCsv))) {
        throw new IllegalArgumentException("--chexpertDir " + Resources.path(dir) + ": no train.csv there");
      }
      demoXlsx = Resources.absolute(o.getDemoXlsx());
      // image paths in train.csv start with the CheXpert folder's own name
      imageRoot = Resources.path(dir.getCurrentDirectory().resolve("..", org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions.RESOLVE_DIRECTORY));
    }
    CohortOptions cohort = options(CohortOptions.class);
    cohort.setTrainCsv(trainCsv);
    cohort.setDemoXlsx(demoXlsx);
    if (o.getSplitCsv() != null) {
      cohort.setSplitCsv(Resources.absolute(o.getSplitCsv()));
    }
    // only a seed the user gave: without one, cohort's split keeps the original's 2021
    cohort.setSeed(o.getSeed());
    stages.add(new Stage("cohort", "cohort", cohort, generated ? List.of("synth") : List.of()));
    PreprocessOptions images = options(PreprocessOptions.class);
    images.setCohort(at(run, "cohort"));
    images.setImageRoot(imageRoot);
    images.setImageSize(imageSize);
    stages.add(new Stage("images", "preprocess", images, List.of("cohort")));

    Map<String, TrainOptions> models = new LinkedHashMap<>();
    models.put("disease", train(run, arch, batch, seed, epochs, "disease", false));
    models.put("sex", train(run, arch, batch, seed, epochs, "sex", false));
    models.put("race", train(run, arch, batch, seed, epochs, "race", false));
    models.put("sex-split", train(run, arch, batch, seed, epochs, "sex", true));
    models.put("race-split", train(run, arch, batch, seed, epochs, "race", true));
    if (o.getMultitask()) {
      models.put("multitask", train(run, arch, batch, seed, epochs, "multitask", false));
    }
    for (Map.Entry<String, TrainOptions> m : models.entrySet()) {
      List<String> reads = m.getKey().endsWith("-split") ? List.of("images", "models/disease") : List.of("images");
      stages.add(new Stage("models/" + m.getKey(), "train", m.getValue(), reads));
    }
    for (String m : models.keySet()) {
      PredictOptions predict = options(PredictOptions.class);
      predict.setModel(at(run, "models/" + m));
      predict.setShards(at(run, "images"));
      predict.setSplits("validate,test");
      predict.setEmbeddings(m.equals("disease"));
      stages.add(new Stage("predictions/" + m, "predict", predict, List.of("models/" + m, "images")));
    }
    ResampleOptions resample = options(ResampleOptions.class);
    resample.setCohort(at(run, "cohort"));
    resample.setSeed(seed);
    stages.add(new Stage("resample", "resample", resample, List.of("cohort")));

    String groups = at(run, "cohort/chexpert.sample.test.csv");
    // column indexes and the names people read both come from the cohort configuration's lists
    ExploreNames names = ExploreNames.of(CohortSpec.chexpert());
    String diseaseScores = "class_" + names.normalIndex() + ",class_" + names.positiveIndex();
    String diseaseTargets = "target_" + names.normalIndex() + ",target_" + names.positiveIndex();
    String diseaseLabels = names.normalLabel() + "," + names.positiveLabel();
    MetricsOptions disease = metrics(run, "disease", "predictions.test.csv", groups, bootstrap, seed);
    disease.setScoreColumns(diseaseScores);
    disease.setTargetColumns(diseaseTargets);
    disease.setLabelNames(diseaseLabels);
    disease.setGroupColumns("sex,race,sex*race");
    disease.setThresholdRule("fpr:0.2");
    stages.add(metricsStage("disease", disease));
    for (String m : List.of("sex", "sex-split")) {
      MetricsOptions sex = metrics(run, m, "predictions.test.csv", groups, bootstrap, seed);
      sex.setScoreColumns("class_1");
      sex.setTargetColumns("target");
      sex.setLabelNames(names.sexOrder().get(1)); // class_1 = P(Female), seeds-spec A5
      sex.setGroupColumns("race");
      sex.setThresholdRule("youden");
      if (m.equals("sex-split")) {
        sex.setThresholdScope(ThresholdScope.PER_GROUP); // results_split_sex.py: Youden per race group
      }
      stages.add(metricsStage(m, sex));
    }
    for (String m : List.of("race", "race-split")) {
      MetricsOptions race = metrics(run, m, "predictions.test.csv", groups, bootstrap, seed);
      race.setScoreColumns("class_0,class_1,class_2");
      race.setTargetColumns("target=0,target=1,target=2");
      race.setLabelNames(String.join(",", names.raceOrder()));
      race.setGroupColumns("sex");
      race.setThresholdRule("youden");
      if (m.equals("race-split")) {
        race.setBootstrapStrata("race"); // results_split_race.py: 3-class strata
      }
      stages.add(metricsStage(m, race));
    }
    if (o.getMultitask()) {
      MetricsOptions multitask = metrics(run, "multitask", "predictions.test.disease.csv", groups, bootstrap, seed);
      multitask.setScoreColumns(diseaseScores);
      multitask.setTargetColumns(diseaseTargets);
      multitask.setLabelNames(diseaseLabels);
      multitask.setGroupColumns("sex,race,sex*race");
      multitask.setThresholdRule("fpr:0.2");
      stages.add(metricsStage("multitask", multitask));
    }
    String explored = "predictions/disease";
    String exploredCohort = "cohort";
    if (o.getExploreOn() == ExploreInput.resampled) {
      // as the original explorer (seeds-spec A4 step 5): the disease model scores the resample, duplicates kept
      PreprocessOptions resampledImages = options(PreprocessOptions.class);
      resampledImages.setCohort(at(run, "resample"));
      resampledImages.setImageRoot(imageRoot);
      resampledImages.setImageSize(imageSize);
      resampledImages.setSplits("test");
      stages.add(new Stage("images-resample", "preprocess", resampledImages, List.of("resample")));
      PredictOptions predict = options(PredictOptions.class);
      predict.setModel(at(run, "models/disease"));
      predict.setShards(at(run, "images-resample"));
      predict.setSplits("test");
      predict.setEmbeddings(true);
      explored = "predictions/disease-resample";
      exploredCohort = "resample";
      stages.add(new Stage(explored, "predict", predict, List.of("models/disease", "images-resample")));
    }
    ExploreOptions explore = options(ExploreOptions.class);
    explore.setPredictions(at(run, explored));
    explore.setCohort(at(run, exploredCohort));
    explore.setSeed(seed);
    stages.add(new Stage("explore", "explore", explore, List.of(explored, exploredCohort)));

    List<String> all = stages.stream().map(Stage::dir).toList();
    ReportOptions report = options(ReportOptions.class);
    report.setRun(run);
    report.setTitle("chexaudit: " + (generated ? "generated data" : "CheXpert"));
    stages.add(new Stage("report", "report", report, all));
    return stages;
  }

  private static <T extends PipelineOptions> T options(Class<T> type) {
    return PipelineOptionsFactory.as(type);
  }

  private static TrainOptions train(String run, String arch, int batch, long seed, Integer epochs, String task,
      boolean split) {
    TrainOptions t = options(TrainOptions.class);
    t.setShards(at(run, "images"));
    t.setArch(arch);
    t.setBatchSize(batch);
    t.setSeed(seed);
    if (epochs != null) {
      t.setEpochs(epochs);
    }
    t.setTask(task);
    if (split) {
      t.setFreezeBackboneFrom(at(run, "models/disease"));
    }
    return t;
  }

  /** A metrics stage's common options; the caller sets its columns, groups and threshold rule. */
  private static MetricsOptions metrics(String run, String model, String file, String groups, int bootstrap, long seed) {
    MetricsOptions m = options(MetricsOptions.class);
    m.setPredictions(at(run, "predictions/" + model + "/" + file));
    m.setGroupsFile(groups);
    m.setIdColumn("id");
    m.setBootstrap(bootstrap);
    m.setSeed(seed);
    m.setInSampleThreshold(true); // the originals choose FPR-0.2 and Youden thresholds on the test set itself
    return m;
  }

  private static Stage metricsStage(String model, MetricsOptions options) {
    return new Stage("metrics/" + model, "metrics", options, List.of("predictions/" + model, "cohort"));
  }

  /** Hash of the command line, the fingerprints of the stages it reads and of the input files it names. */
  static String fingerprint(String command, List<String> args, List<String> reads, Map<String, String> upstream,
      Path run) {
    return fingerprint(command, args, reads, upstream, run.toAbsolutePath().toString());
  }

  static String fingerprint(String command, List<String> args, List<String> reads, Map<String, String> upstream,
      String run) {
    StringBuilder b = new StringBuilder(command).append('\n');
    args.forEach(a -> b.append(a).append('\n'));
    for (String r : reads) {
      b.append(r).append('=').append(upstream.getOrDefault(r, "")).append('\n');
    }
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq > 0 && a.startsWith("--")) {
        String value = a.substring(eq + 1);
        boolean outside = (value.startsWith("/") || Resources.hasScheme(value)) && !value.startsWith(run + "/");
        if (outside && !value.contains("*")) {
          // an input file of the user's (train.csv, the workbook): its size and modification time
          for (MatchResult.Metadata m : Resources.match(value)) {
            if (!m.resourceId().isDirectory()) {
              b.append(m.resourceId()).append(':').append(m.sizeBytes()).append(':')
                  .append(m.lastModifiedMillis()).append('\n');
            }
          }
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
   * Runs one stage as its own JVM, with this JVM's options (the compiler chosen for the stage's command,
   * {@link StageJvmOptions}) and classpath: stages keep their memory
   * (TensorFlow's included) to themselves, and a stage that fails stops the audit with its own message.
   */
  private static void invoke(String command, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(StageJvmOptions.of(command, ManagementFactory.getRuntimeMXBean().getInputArguments(),
        System.getProperty(StageJvmOptions.QUICK_COMMANDS)));
    cmd.addAll(ConsoleLogging.childJvmOptions());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), command));
    cmd.addAll(args);
    try {
      int rc = ConsoleLogging.runChild(new ProcessBuilder(cmd), System.err); // a stage's log lines, passed on
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
  private static Map<String, String> readState(String run) {
    ResourceId f = Resources.file(at(run, STATE));
    try {
      return Resources.exists(f)
          ? new LinkedHashMap<>(JSON.readValue(Resources.readString(f), Map.class)) : new LinkedHashMap<>();
    } catch (IOException e) {
      throw new UncheckedIOException("audit: cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  /** Rewrites the state file whole (an object store cannot append or rename). */
  private static void writeState(String run, Map<String, String> state) {
    try {
      Resources.writeString(Resources.file(at(run, STATE)), JSON.writeValueAsString(state));
    } catch (IOException e) {
      throw new UncheckedIOException("audit: cannot write the state of " + run + ": " + e.getMessage(), e);
    }
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
