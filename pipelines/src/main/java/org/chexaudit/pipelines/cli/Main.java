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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.apache.beam.sdk.options.PipelineOptions;
import org.chexaudit.pipelines.options.AuditOptions;
import org.chexaudit.pipelines.options.ChexclusionCohortOptions;
import org.chexaudit.pipelines.options.ChexclusionEvalOptions;
import org.chexaudit.pipelines.options.CohortOptions;
import org.chexaudit.pipelines.options.ExploreOptions;
import org.chexaudit.pipelines.options.ImportModelOptions;
import org.chexaudit.pipelines.options.MetricsOptions;
import org.chexaudit.pipelines.options.PredictOptions;
import org.chexaudit.pipelines.options.PreprocessOptions;
import org.chexaudit.pipelines.options.ReportOptions;
import org.chexaudit.pipelines.options.ResampleOptions;
import org.chexaudit.pipelines.options.SynthOptions;
import org.chexaudit.pipelines.options.TrainOptions;

/**
 * Entry point of the shaded jar: {@code chexaudit <command> [--option=value ...]}. Each command is a
 * Beam pipeline main with its own {@code PipelineOptions}, so {@code --runner}, {@code --help} and
 * the runner's options work everywhere. {@code --verbose}, anywhere on the line, brings the libraries'
 * log lines back ({@link ConsoleLogging}).
 */
public final class Main {
  /** One command: its main, its options interface and a one-line description. */
  public record Entry(Command command, Class<? extends PipelineOptions> options, String description) {}

  /** Command name -> entry, in the order a study runs. */
  public static final Map<String, Entry> COMMANDS = new LinkedHashMap<>();

  static {
    command("synth", SynthCommand::main, SynthOptions.class,
        "write a CheXpert-format data set with planted, known effects");
    command("cohort", CohortPipeline::main, CohortOptions.class,
        "join images with demographics, filter, split; write the cohort and notebook CSVs");
    command("chexclusion-cohort", ChexclusionCohortPipeline::main, ChexclusionCohortOptions.class,
        "CheXclusion cohort of CheXpert, MIMIC-CXR, ChestX-ray14 or their union; 80/10/10 patient split");
    command("preprocess", PreprocessPipeline::main, PreprocessOptions.class,
        "decode and resize the cohort's images (224x224 uint8, as the original); write ImageExample shards");
    command("train", TrainPipeline::main, TrainOptions.class,
        "train a disease, sex, race or multitask model (or a SPLIT head) on image shards");
    command("import-model", ImportModelCommand::main, ImportModelOptions.class,
        "turn a torchvision state dict (.npz, head included) into a model dir predict uses, without training");
    command("predict", PredictPipeline::main, PredictOptions.class,
        "score image shards with a trained model: predictions and embeddings (Avro and CSV)");
    command("resample", ResamplePipeline::main, ResampleOptions.class,
        "race-, prevalence- and age-balanced resampling of the test set (seeded); prevalence table");
    command("metrics", MetricsPipeline::main, MetricsOptions.class,
        "AUC, TPR/FPR per subgroup at a threshold, TPR disparity, bootstrap CIs for any predictions");
    command("explore", ExplorePipeline::main, ExploreOptions.class,
        "PCA, t-SNE, KS tests with BY correction and joint plots of a disease model's embeddings");
    command("chexclusion-eval", ChexclusionPipeline::main, ChexclusionEvalOptions.class,
        "CheXclusion evaluation of one or more seeds: max-F1 thresholds, AUC/AUPRC, TPR gaps, Want*/Run* files, plots");
    command("report", ReportCommand::main, ReportOptions.class,
        "one static HTML page with every finished stage of a run folder");
    command("audit", AuditCommand::main, AuditOptions.class,
        "the whole study, stage by stage, in one run folder; resumes where it stopped");
  }

  private static void command(String name, Command main, Class<? extends PipelineOptions> options,
      String description) {
    COMMANDS.put(name, new Entry(main, options, description));
  }

  private Main() {}

  public static void main(String[] args) throws Exception {
    args = ConsoleLogging.configure(args); // before the first logger exists: slf4j-simple reads it once
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      usage(System.out);
      return;
    }
    Entry entry = COMMANDS.get(args[0]);
    if (entry == null) {
      LoggerFactory.getLogger(Main.class).error("chexaudit: unknown command '{}'", args[0]);
      usage(System.err);
      System.exit(2);
    }
    entry.command().main(Arrays.copyOfRange(args, 1, args.length));
  }

  static void usage(PrintStream out) {
    out.println("usage: chexaudit <command> [--option=value ...]");
    out.println("       chexaudit <command> --help     options of one command");
    out.println("       chexaudit <command> --verbose  also the libraries' log (Beam, Flink, TensorFlow)");
    out.println();
    out.println("commands:");
    for (Map.Entry<String, Entry> e : COMMANDS.entrySet()) {
      out.printf("  %-16s %s%n", e.getKey(), e.getValue().description());
    }
    out.println();
    out.println("Every command runs on the Direct runner by default; --runner=FlinkRunner"
        + " --flinkMaster=[local]|host:port runs it on Flink.");
  }
}
