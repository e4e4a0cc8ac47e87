package org.chexaudit.pipelines.cli;

import org.chexaudit.pipelines.stage.OptionsManifest;
import org.chexaudit.pipelines.stage.StageOutput;

import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;
import org.chexaudit.runners.LocalFlinkConfig;
import org.chexaudit.schemas.TrustedSchemas;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Parses a command's arguments into its options; prints that command's help for --help. */
public final class Cli {
  private static final Logger LOG = LoggerFactory.getLogger(Cli.class);

  private Cli() {}

  /**
   * Returns the parsed options, or null after printing help. Bad options exit with one clear message
   * and status 2, never a stack trace.
   */
  public static <T extends PipelineOptions> T parse(String command, String[] args, Class<T> type) {
    OptionsRegistry.registerFor(type, withRunnerDefaults(args));
    TrustedSchemas.install();
    if (Arrays.stream(args).anyMatch(a -> a.equals("--help") || a.equals("-h"))) {
      printHelp(System.out, command, type);
      return null;
    }
    try {
      String[] renamed = RenamedOptions.rewrite(command, args, System.err);
      EnumArguments.check(renamed, type);
      T options = PipelineOptionsFactory.fromArgs(withRunnerDefaults(renamed)).withValidation().as(type);
      options.setOptionsId(uniqueOptionsId());
      // Registers hdfs:// and the other file systems (with --hdfsConfiguration) for the client's own reads.
      FileSystems.setDefaultPipelineOptions(options);
      String badPath = PathOptions.check(command, options, type);
      if (badPath != null) {
        throw new IllegalArgumentException(badPath);
      }
      return options;
    } catch (IllegalArgumentException e) {
      fail(command, e.getMessage());
      return null;
    }
  }

  /**
   * An options id no other command's options will have. Beam numbers options per JVM from 0 and ships the
   * number to the workers, where {@code FileSystems} keeps the file systems it built for the last id it saw;
   * two commands run one after the other on a long-lived Flink TaskManager then have the same id, and the
   * second reads HDFS through the first job's Hadoop configuration, whose class loader Flink has closed
   * ("Trying to access closed classloader": {@code AuditOnClusterTest}, preprocess after cohort). A random
   * 63-bit id per command keeps each job's file systems its own.
   */
  static long uniqueOptionsId() {
    return java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
  }

  /** Direct-runner checks that every command turns off unless the command line sets them. */
  static final List<String> DIRECT_RUNNER_CHECKS = List.of("enforceImmutability", "enforceEncodability");

  /**
   * The commands' Direct-runner settings, each unless the command line sets it:
   *
   * <ul>
   *   <li>The immutability and encodability checks encode (and decode) every element once more per step to
   *       catch DoFns that mutate their inputs; they are debugging aids, measured at three quarters of the
   *       CPU time of the metrics stage on a million rows. The commands' DoFns are tested with them on
   *       (TestPipeline keeps the defaults); a run turns them off unless {@code --enforceImmutability=true}
   *       or {@code --enforceEncodability=true} is given.
   *   <li>{@code --targetParallelism}: one worker thread per core. Beam's default is at least 3, and its
   *       pool of workers also runs the runner's monitor, which loops without pause while work is
   *       outstanding (apache/beam#18070): with 3 threads on 2 cores the monitor takes CPU from the workers
   *       (issue 15: {@code cohort} 21-23 s with 3, 17-20 s with 2; {@code metrics} on a million rows
   *       21-22 s against 19-21 s).
   * </ul>
   *
   * Other runners ignore all three. On Flink, an embedded cluster ({@code --flinkMaster=[local]} or {@code [auto]}
   * outside a cluster) gets {@link LocalFlinkConfig}'s managed memory unless {@code --flinkConfDir} or the {@code
   * FLINK_CONF_DIR} environment variable names a configuration.
   */
  public static String[] withRunnerDefaults(String[] args) {
    List<String> out = new ArrayList<>(Arrays.asList(args));
    for (String check : DIRECT_RUNNER_CHECKS) {
      if (!sets(args, check)) {
        out.add("--" + check + "=false");
      }
    }
    if (!sets(args, "targetParallelism")) {
      out.add("--targetParallelism=" + Runtime.getRuntime().availableProcessors());
    }
    if (embeddedFlink(args) && !sets(args, "flinkConfDir") && System.getenv("FLINK_CONF_DIR") == null) {
      out.add("--flinkConfDir=" + LocalFlinkConfig.dir());
    }
    return out.toArray(new String[0]);
  }

  /**
   * Whether the arguments run on Flink in this JVM: Beam's default master, {@code [auto]}, is local here too. The
   * runner is named as Beam resolves it: its simple name with or without "Runner", in any case, or its class.
   */
  private static boolean embeddedFlink(String[] args) {
    String runner = lastValue(args, "runner", "");
    boolean flink = runner.equalsIgnoreCase("FlinkRunner") || runner.equalsIgnoreCase("Flink")
        || runner.equals("org.apache.beam.runners.flink.FlinkRunner"); // a name: no Flink class loaded to check
    String master = lastValue(args, "flinkMaster", "[auto]");
    return flink && (master.equals("[local]") || master.equals("[auto]"));
  }

  /** The value of the last {@code --option=value} among {@code args}, or {@code absent}. */
  private static String lastValue(String[] args, String option, String absent) {
    String prefix = "--" + option + "=";
    String value = absent;
    for (String a : args) {
      if (a.startsWith(prefix)) {
        value = a.substring(prefix.length());
      }
    }
    return value;
  }

  private static boolean sets(String[] args, String option) {
    return Arrays.stream(args).anyMatch(a -> a.equals("--" + option) || a.startsWith("--" + option + "="));
  }

  /**
   * A command's main: parses the options (or prints help), runs {@code body}, and turns the errors a user
   * can act on (bad options or input, an output that exists) into one message and exit status 2.
   */
  public static <T extends PipelineOptions> void run(
      String command, String[] args, Class<T> type, java.util.function.Consumer<T> body) {
    T options = parse(command, args, type);
    if (options == null) {
      return;
    }
    try {
      body.accept(options);
    } catch (IllegalArgumentException | IllegalStateException | StageOutput.StageOutputException
        | java.io.UncheckedIOException e) {
      fail(command, e.getMessage());
    } catch (org.apache.beam.sdk.Pipeline.PipelineExecutionException e) {
      fail(command, failure(e.getCause() == null ? e : e.getCause(), Runtime.getRuntime().maxMemory()));
    } catch (OutOfMemoryError e) {
      fail(command, failure(e, Runtime.getRuntime().maxMemory()));
    }
  }

  /**
   * What a worker's failure tells the user: its message, and for a full heap what to do about it (the Direct
   * runner keeps a grouping's records in memory).
   */
  static String failure(Throwable cause, long maxHeapBytes) {
    String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    if (!(cause instanceof OutOfMemoryError)) {
      return message;
    }
    return "out of memory (" + message + ") with a heap of " + (maxHeapBytes >> 20) + " MB: give the command more"
        + " with CHEXAUDIT_HEAP (bin/chexaudit's -Xmx, default 8g), or run it on Flink (--runner=FlinkRunner), which"
        + " spills to disk; the Direct runner holds each grouping's records in memory";
  }

  /** A comma-separated option value as its trimmed, non-empty items; empty for null or blank. */
  public static java.util.List<String> commaList(String s) {
    return s == null || s.isBlank()
        ? java.util.List.of()
        : Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }

  /** Logs {@code chexaudit <command>: <message>} as an error and exits with status 2. */
  public static void fail(String command, String message) {
    LOG.error("chexaudit {}: {}", command, message);
    System.exit(2);
  }

  /** The command's own options (from chexaudit interfaces), then a note on Beam's runner options. */
  static void printHelp(PrintStream out, String command, Class<? extends PipelineOptions> type) {
    out.println("usage: chexaudit " + command + " [--option=value ...]");
    out.println();
    Map<String, Method> own = new LinkedHashMap<>();
    Arrays.stream(OptionsManifest.ownGetters(type))
        .filter(m -> m.getAnnotation(Description.class) != null)
        .forEach(m -> own.put(OptionsManifest.propertyName(m), m));
    for (Map.Entry<String, Method> e : own.entrySet()) {
      Method m = e.getValue();
      String required = m.getAnnotation(Validation.Required.class) != null ? "  (required)" : "";
      String def = defaultOf(m);
      String kind = m.getReturnType().isEnum()
          ? EnumArguments.allowed(m.getReturnType()).replace(", ", "|") : m.getReturnType().getSimpleName();
      out.printf("  --%s=<%s>%s%s%n", e.getKey(), kind, required,
          def == null ? "" : "  default: " + def);
      out.println("      " + m.getAnnotation(Description.class).value());
    }
    out.println();
    out.println("Runner options (Beam): --runner=DirectRunner|FlinkRunner, --flinkMaster=[local]|host:port,");
    out.println("  --parallelism=N, --targetParallelism=N (Direct). Full list: --help=org.apache.beam.sdk.options.PipelineOptions");
    out.println("File systems (Beam): hdfs:// takes --hdfsConfiguration=[{\"fs.defaultFS\":\"hdfs://HOST:PORT\"}];");
    out.println("  s3:// takes --awsRegion=REGION and, for a service other than AWS, --endpoint=http://HOST:PORT,");
    out.println("  --awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\"...\",\"secretAccessKey\":\"...\"},");
    out.println("  --s3ClientFactoryClass=" + org.chexaudit.pipelines.options.PathStyleS3ClientBuilderFactory.class.getName()
        + " (path-style requests); see docs/cluster.md");
  }

  private static String defaultOf(Method m) {
    if (m.getAnnotation(Default.String.class) != null) {
      String v = m.getAnnotation(Default.String.class).value();
      return v.isEmpty() ? "(empty)" : v;
    }
    if (m.getAnnotation(Default.Integer.class) != null) {
      return Integer.toString(m.getAnnotation(Default.Integer.class).value());
    }
    if (m.getAnnotation(Default.Long.class) != null) {
      return Long.toString(m.getAnnotation(Default.Long.class).value());
    }
    if (m.getAnnotation(Default.Double.class) != null) {
      return Double.toString(m.getAnnotation(Default.Double.class).value());
    }
    if (m.getAnnotation(Default.Float.class) != null) {
      return Float.toString(m.getAnnotation(Default.Float.class).value());
    }
    if (m.getAnnotation(Default.Boolean.class) != null) {
      return Boolean.toString(m.getAnnotation(Default.Boolean.class).value());
    }
    if (m.getAnnotation(Default.Enum.class) != null) {
      return m.getAnnotation(Default.Enum.class).value();
    }
    return null;
  }
}
