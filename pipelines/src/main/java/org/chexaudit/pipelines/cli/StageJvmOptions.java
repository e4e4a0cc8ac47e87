package org.chexaudit.pipelines.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options of an audit stage's own JVM: the audit's, with the compiler choice made for the stage's
 * command. The launcher ({@code bin/chexaudit}) names the commands that run on the quick compiler alone in
 * {@value #QUICK_COMMANDS} (its {@code CHEXAUDIT_JIT=auto}); without that property the stage inherits the
 * audit's options unchanged, as when a user's {@code JAVA_OPTS} or {@code CHEXAUDIT_JIT} decides for all.
 */
final class StageJvmOptions {
  /** System property listing, comma-separated, the commands that run with {@link #QUICK_JIT}. */
  static final String QUICK_COMMANDS = "chexaudit.quickJitCommands";
  /** The quick compiler (C1) alone: a short data command's time is not spent compiling with C2. */
  static final String QUICK_JIT = "-XX:TieredStopAtLevel=1";

  private StageJvmOptions() {}

  /**
   * {@code parent} (this JVM's input arguments) for a stage running {@code command}, given the launcher's
   * list of quick commands ({@code quickCommands}, null when the launcher did not choose per command).
   */
  static List<String> of(String command, List<String> parent, String quickCommands) {
    if (quickCommands == null) {
      return List.copyOf(parent);
    }
    List<String> options = new ArrayList<>(parent);
    options.remove(QUICK_JIT);
    if (List.of(quickCommands.split(",")).contains(command)) {
      options.add(QUICK_JIT);
    }
    return options;
  }
}
