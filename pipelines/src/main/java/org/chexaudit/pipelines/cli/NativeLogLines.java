package org.chexaudit.pipelines.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * TensorFlow's native INFO and WARNING lines, which no Java logger sees. {@code TF_CPP_MIN_LOG_LEVEL}
 * silences TensorFlow's own ones, but the MLIR passes log through Abseil before it is initialised, and
 * Abseil then writes every level to stderr ("WARNING: All log messages before absl::InitializeLog() is
 * called are written to STDERR", "I0000 00:00:... mlir_graph_optimization_pass.cc:401] ...": abseil-cpp
 * pull request 1957, open). So the audit drops those lines from its stages' stderr, and {@code
 * bin/chexaudit} does the same with {@link #PATTERN}. Errors ({@code E}, {@code F}) always pass.
 */
final class NativeLogLines {
  /** Also in bin/chexaudit: keep the two in step. */
  static final String PATTERN = "^(WARNING: All log messages before absl::InitializeLog\\(\\) is called"
      + "|[IW][0-9]{4} [0-9:.]+ +[0-9]+ [^ ]+:[0-9]+\\]"
      + "|[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]+: [IW] [^ ]+:[0-9]+\\])";
  private static final Pattern NATIVE = Pattern.compile(PATTERN);

  private NativeLogLines() {}

  static boolean isNative(String line) {
    return NATIVE.matcher(line).find();
  }

  /** Copies {@code in} to {@code out} line by line, without the native log lines. */
  static void copyWithout(InputStream in, PrintStream out) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!isNative(line)) {
          out.println(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read a stage's stderr: " + e.getMessage(), e);
    }
  }
}
