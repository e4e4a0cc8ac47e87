package org.chexaudit.pipelines.cli;

import java.io.PrintStream;
import java.util.Map;

/**
 * Option names that were renamed when the shared options ({@code --seed}, {@code --threads}) got one
 * declaration each: the old spelling still works, with a one-line warning, so old scripts keep running.
 */
final class RenamedOptions {
  /** Old name -> new name. */
  static final Map<String, String> RENAMED = Map.of(
      "splitSeed", "seed",      // cohort
      "tsneThreads", "threads"); // explore

  private RenamedOptions() {}

  /** {@code args} with every renamed option spelled the new way; warns once per renamed option on {@code warn}. */
  static String[] rewrite(String command, String[] args, PrintStream warn) {
    String[] out = args.clone();
    for (int i = 0; i < out.length; i++) {
      if (!out[i].startsWith("--")) {
        continue;
      }
      int eq = out[i].indexOf('=');
      String name = out[i].substring(2, eq < 0 ? out[i].length() : eq);
      String renamed = RENAMED.get(name);
      if (renamed != null) {
        out[i] = "--" + renamed + (eq < 0 ? "" : out[i].substring(eq));
        warn.println("chexaudit " + command + ": --" + name + " is deprecated; use --" + renamed);
      }
    }
    return out;
  }
}
