package org.chexaudit.pipelines.cli;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit's console: one line per stage when it ends (its time, the time so far and, where known, the
 * time left) and a summary listing the outputs and the report. The stages' own lines appear only with
 * {@code --verbose} ({@link ConsoleLogging#childJvmOptions}).
 *
 * <p>The time left is estimated from the stages already run in this audit: each remaining stage is
 * expected to take as long as the mean of the stages of the same command so far (five {@code train}
 * stages take about as long as each other). Remaining stages of a command not yet timed make the estimate
 * a lower bound ("at least"); with none timed there is no estimate.
 */
final class AuditProgress {
  private static final Logger LOG = LoggerFactory.getLogger(AuditCommand.class);

  private final String run;
  private final List<String> dirs;
  private final List<String> commands;
  /** Per command: total seconds and number of stages run (skipped stages are not timings). */
  private final Map<String, double[]> timed = new HashMap<>();
  private final List<String> outcomes = new ArrayList<>();
  private final long start = System.nanoTime();
  private int skipped;

  /** {@code dirs} and {@code commands}: each stage's output folder (relative to the run) and command. */
  AuditProgress(String run, List<String> dirs, List<String> commands) {
    checkArgument(dirs.size() == commands.size(), "dirs and commands must have the same size, got %s and %s",
        dirs.size(), commands.size());
    this.run = run;
    this.dirs = List.copyOf(dirs);
    this.commands = List.copyOf(commands);
  }

  /** Stage {@code index} (0-based) starts: its command line, with {@code --verbose} only. */
  void starting(int index, List<String> args) {
    LOG.debug("{} chexaudit {} {}", label(index), commands.get(index), String.join(" ", args));
  }

  /** Stage {@code index} was finished earlier with the same inputs and options. */
  void skipped(int index) {
    skipped++;
    outcomes.add(String.format(Locale.ROOT, "%-22s skipped (finished earlier)", dirs.get(index)));
    LOG.info("{} skipped: finished, inputs and options unchanged", label(index));
  }

  /** Stage {@code index} ran in {@code seconds}. */
  void done(int index, double seconds) {
    double[] t = timed.computeIfAbsent(commands.get(index), c -> new double[2]);
    t[0] += seconds;
    t[1]++;
    outcomes.add(String.format(Locale.ROOT, "%-22s %8.1f s  %s", dirs.get(index), seconds,
        run + "/" + dirs.get(index)));
    String left = timeLeft(index + 1);
    LOG.info(String.format(Locale.ROOT, "%s done in %.1f s (elapsed %s%s)", label(index), seconds,
        hms(elapsedSeconds()), left.isEmpty() ? "" : ", " + left));
  }

  /** The summary: every stage's time and output folder, and the report. */
  void finished(String report) {
    LOG.info(String.format(Locale.ROOT, "audit: finished in %s, %d stages run, %d skipped, in %s:%n  %s%nreport: %s",
        hms(elapsedSeconds()), outcomes.size() - skipped, skipped, run, String.join("\n  ", outcomes), report));
  }

  /**
   * The estimated time of the stages from {@code next} on: "" when no remaining stage's command has been
   * timed, "at least H:MM:SS left" when some have not, "H:MM:SS left" when all have.
   */
  String timeLeft(int next) {
    double seconds = 0;
    boolean complete = true;
    boolean any = false;
    for (int i = next; i < commands.size(); i++) {
      double[] t = timed.get(commands.get(i));
      if (t == null) {
        complete = false;
      } else {
        seconds += t[0] / t[1];
        any = true;
      }
    }
    if (!any) {
      return "";
    }
    return (complete ? "" : "at least ") + hms(seconds) + " left";
  }

  private String label(int index) {
    return String.format(Locale.ROOT, "[audit %d/%d] %-22s", index + 1, dirs.size(), dirs.get(index));
  }

  private double elapsedSeconds() {
    return (System.nanoTime() - start) / 1e9;
  }

  static String hms(double seconds) {
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
