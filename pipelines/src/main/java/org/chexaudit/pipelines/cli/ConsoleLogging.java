package org.chexaudit.pipelines.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the console shows: by default the commands' own progress and result lines (logger
 * {@code org.chexaudit} at INFO) and only errors from Beam, Flink and Hadoop; with {@code --verbose}
 * every library's INFO lines, TensorFlow's C++ log, and the thread and logger name of each line.
 *
 * <p>slf4j-simple reads its configuration once, when the first logger is created, with system properties
 * taking precedence over {@code simplelogger.properties} (which holds the default console). So {@link
 * #configure} must run before any class that holds a logger is loaded: {@link Main} calls it first.
 * Properties already set on the command line ({@code -Dorg.slf4j.simpleLogger...}) are kept.
 *
 * <p>TensorFlow's C++ log is filtered by the environment variable {@value #TF_LOG_LEVEL}, read when the
 * native library loads, so it cannot be set from inside the JVM: {@code bin/chexaudit} sets it, and so
 * does {@link #runChild} for the JVMs that the audit starts, which also drops Abseil's early lines.
 */
public final class ConsoleLogging {
  /** The flag, accepted anywhere on the command line and removed before options are parsed. */
  public static final String VERBOSE_FLAG = "--verbose";
  /** System property that carries the flag, also into child JVMs. */
  static final String VERBOSE_PROPERTY = "chexaudit.verbose";
  static final String TF_LOG_LEVEL = "TF_CPP_MIN_LOG_LEVEL";
  /** TensorFlow C++ levels: 0 all, 1 no INFO, 2 no WARNING, 3 no ERROR. */
  static final String TF_ERRORS_ONLY = "2";

  private static final String SIMPLE_LOGGER = "org.slf4j.simpleLogger.";
  /** Loggers whose INFO and WARN lines are library internals ("Failed to match temporary files ..."). */
  private static final List<String> LIBRARIES = List.of("org.apache.beam", "org.apache.flink", "org.apache.hadoop");

  private ConsoleLogging() {}

  /**
   * Sets the console's logging configuration from {@code --verbose} (or {@code -Dchexaudit.verbose=true})
   * and returns the arguments without the flag.
   */
  public static String[] configure(String[] args) {
    List<String> rest = new ArrayList<>();
    boolean verbose = Boolean.getBoolean(VERBOSE_PROPERTY);
    for (String a : args) {
      if (a.equals(VERBOSE_FLAG) || a.equals(VERBOSE_FLAG + "=true")) {
        verbose = true;
      } else if (!a.equals(VERBOSE_FLAG + "=false")) {
        rest.add(a);
      }
    }
    System.setProperty(VERBOSE_PROPERTY, Boolean.toString(verbose));
    properties(verbose).forEach(ConsoleLogging::setIfAbsent);
    // POI logs through the Log4j API; without a provider Log4j prints "could not find a logging provider".
    setIfAbsent("log4j2.loggerContextFactory", "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
    return rest.toArray(new String[0]);
  }

  /** Whether this JVM was started with {@code --verbose}. */
  public static boolean verbose() {
    return Boolean.getBoolean(VERBOSE_PROPERTY);
  }

  /** The slf4j-simple settings of each verbosity (those the properties file does not already hold). */
  static Map<String, String> properties(boolean verbose) {
    Map<String, String> p = new java.util.LinkedHashMap<>();
    if (verbose) {
      p.put(SIMPLE_LOGGER + "defaultLogLevel", "info");
      p.put(SIMPLE_LOGGER + "log.org.chexaudit", "debug");
      LIBRARIES.forEach(l -> p.put(SIMPLE_LOGGER + "log." + l, "info"));
      p.put(SIMPLE_LOGGER + "showThreadName", "true");
      p.put(SIMPLE_LOGGER + "showLogName", "true");
    }
    return p;
  }

  /**
   * JVM options of a child JVM that runs one stage of the audit: the same verbosity and, without {@code
   * --verbose}, the stage's own lines only when they are warnings or errors (the audit prints one line
   * per stage).
   */
  public static List<String> childJvmOptions() {
    return verbose()
        ? List.of("-D" + VERBOSE_PROPERTY + "=true")
        : List.of("-D" + SIMPLE_LOGGER + "log.org.chexaudit=warn");
  }

  /**
   * Runs a child JVM to its end and returns its exit status. Without {@code --verbose}: TensorFlow's C++
   * log errors only (unless the environment already sets {@value #TF_LOG_LEVEL}), Abseil's early lines
   * dropped from its stderr ({@link NativeLogLines}), and no standard output (a stage's printed tables
   * are also in its files), its stderr copied to {@code console}. With it the child shares this JVM's
   * streams.
   */
  public static int runChild(ProcessBuilder child, PrintStream console) throws IOException, InterruptedException {
    if (verbose()) {
      return child.inheritIO().start().waitFor();
    }
    child.environment().putIfAbsent(TF_LOG_LEVEL, TF_ERRORS_ONLY);
    Process p = child.redirectInput(ProcessBuilder.Redirect.INHERIT)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.PIPE)
        .start();
    // The child's own log lines, already formatted, pass through to this console unchanged.
    Thread copy = new Thread(() -> NativeLogLines.copyWithout(p.getErrorStream(), console), "child-stderr");
    copy.setDaemon(true);
    copy.start();
    int rc = p.waitFor();
    copy.join();
    return rc;
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
