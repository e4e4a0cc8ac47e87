package org.chexaudit.pipelines.cli;

import org.chexaudit.pipelines.ChexclusionCohortPipeline;
import org.chexaudit.pipelines.ChexclusionPipeline;
import org.chexaudit.pipelines.CohortPipeline;
import org.chexaudit.pipelines.ExplorePipeline;
import org.chexaudit.pipelines.MetricsPipeline;
import org.chexaudit.pipelines.PredictPipeline;
import org.chexaudit.pipelines.PreprocessPipeline;
import org.chexaudit.pipelines.ResamplePipeline;
import org.chexaudit.pipelines.TrainPipeline;
import org.chexaudit.pipelines.report.ReportCommand;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the shaded jar: {@code chexaudit <command> [--option=value ...]}. Each command is a
 * Beam pipeline main with its own {@code PipelineOptions}, so {@code --runner}, {@code --help} and
 * the runner's options work everywhere. {@code --verbose}, anywhere on the line, brings the libraries'
 * log lines back ({@link ConsoleLogging}).
 */
public final class Main {
  /** Command name -> (class with a static main, one-line description), in the order a study runs. */
  public static final Map<String, String[]> COMMANDS = new LinkedHashMap<>();

  static {
    command("synth", "org.chexaudit.pipelines.cli.SynthCommand",
        "write a CheXpert-format data set with planted, known effects");
    command("cohort", "org.chexaudit.pipelines.CohortPipeline",
        "join images with demographics, filter, split; write the cohort and notebook CSVs");
    command("chexclusion-cohort", "org.chexaudit.pipelines.ChexclusionCohortPipeline",
        "CheXclusion cohort of CheXpert, MIMIC-CXR, ChestX-ray14 or their union; 80/10/10 patient split");
    command("preprocess", "org.chexaudit.pipelines.PreprocessPipeline",
        "decode and resize the cohort's images (224x224 uint8, as the original); write ImageExample shards");
    command("train", "org.chexaudit.pipelines.TrainPipeline",
        "train a disease, sex, race or multitask model (or a SPLIT head) on image shards");
    command("import-model", "org.chexaudit.pipelines.cli.ImportModelCommand",
        "turn a torchvision state dict (.npz, head included) into a model dir predict uses, without training");
    command("predict", "org.chexaudit.pipelines.PredictPipeline",
        "score image shards with a trained model: predictions and embeddings (Avro and CSV)");
    command("resample", "org.chexaudit.pipelines.ResamplePipeline",
        "race-, prevalence- and age-balanced resampling of the test set (seeded); prevalence table");
    command("metrics", "org.chexaudit.pipelines.MetricsPipeline",
        "AUC, TPR/FPR per subgroup at a threshold, TPR disparity, bootstrap CIs for any predictions");
    command("explore", "org.chexaudit.pipelines.ExplorePipeline",
        "PCA, t-SNE, KS tests with BY correction and joint plots of a disease model's embeddings");
    command("chexclusion-eval", "org.chexaudit.pipelines.ChexclusionPipeline",
        "CheXclusion evaluation of one or more seeds: max-F1 thresholds, AUC/AUPRC, TPR gaps, Want*/Run* files, plots");
    command("report", "org.chexaudit.pipelines.report.ReportCommand",
        "one static HTML page with every finished stage of a run folder");
    command("audit", "org.chexaudit.pipelines.cli.AuditCommand",
        "the whole study, stage by stage, in one run folder; resumes where it stopped");
  }

  private static void command(String name, String className, String description) {
    COMMANDS.put(name, new String[] {className, description});
  }

  private Main() {}

  public static void main(String[] args) throws Exception {
    args = ConsoleLogging.configure(args); // before the first logger exists: slf4j-simple reads it once
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      usage(System.out);
      return;
    }
    String[] entry = COMMANDS.get(args[0]);
    if (entry == null) {
      LoggerFactory.getLogger(Main.class).error("chexaudit: unknown command '{}'", args[0]);
      usage(System.err);
      System.exit(2);
    }
    Class<?> cls;
    try {
      cls = Class.forName(entry[0]);
    } catch (ClassNotFoundException e) {
      LoggerFactory.getLogger(Main.class).error("chexaudit: command '{}' is not available in this build", args[0]);
      System.exit(2);
      return;
    }
    try {
      run(args[0], Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }

  /** Runs one command's main in this JVM (the audit runs its stages this way). */
  static void run(String command, String[] args) throws ReflectiveOperationException {
    String[] entry = COMMANDS.get(command);
    if (entry == null) {
      throw new IllegalArgumentException("unknown command '" + command + "'");
    }
    Method main = Class.forName(entry[0]).getMethod("main", String[].class);
    main.invoke(null, (Object) args);
  }

  /** Whether a command is part of this build. */
  public static boolean isAvailable(String command) {
    String[] entry = COMMANDS.get(command);
    return entry != null && isPresent(entry[0]);
  }

  static void usage(PrintStream out) {
    out.println("usage: chexaudit <command> [--option=value ...]");
    out.println("       chexaudit <command> --help     options of one command");
    out.println("       chexaudit <command> --verbose  also the libraries' log (Beam, Flink, TensorFlow)");
    out.println();
    out.println("commands:");
    for (Map.Entry<String, String[]> e : COMMANDS.entrySet()) {
      boolean present = isPresent(e.getValue()[0]);
      out.printf("  %-16s %s%s%n", e.getKey(), e.getValue()[1], present ? "" : " (not in this build)");
    }
    out.println();
    out.println("Every command runs on the Direct runner by default; --runner=FlinkRunner"
        + " --flinkMaster=[local]|host:port runs it on Flink.");
  }

  private static boolean isPresent(String className) {
    try {
      Class.forName(className, false, Main.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
