package org.chexaudit.pipelines;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One line per reliability case in {@code target/reliability/summary.tsv} (suite, case, fault injected,
 * outcome, records in, out, filtered, dead letters, lost), which {@code runners/reliability.sh} prints.
 */
final class ReliabilityLog {
  static final String HEADER = "suite\tcase\tfault\toutcome\tin\tout\tfiltered\tdead_letters\tlost";
  private static final Path FILE = Path.of("target/reliability/summary.tsv");

  private ReliabilityLog() {}

  static synchronized void record(String suite, String name, String fault, String outcome,
      long in, long out, long filtered, long dead) throws IOException {
    Files.createDirectories(FILE.getParent());
    if (!Files.exists(FILE)) {
      Files.writeString(FILE, HEADER + "\n", StandardCharsets.UTF_8);
    }
    String line = String.join("\t", suite, name, fault, outcome.replace('\t', ' ').replace('\n', ' '),
        Long.toString(in), Long.toString(out), Long.toString(filtered), Long.toString(dead),
        Long.toString(in - out - filtered - dead)) + "\n";
    Files.writeString(FILE, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  /** A case that stops with a message before reading any record: nothing in, nothing lost. */
  static void refused(String suite, String name, String fault, String message) throws IOException {
    record(suite, name, fault, "refused: " + message, 0, 0, 0, 0);
  }
}
