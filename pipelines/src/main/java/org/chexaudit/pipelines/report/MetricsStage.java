package org.chexaudit.pipelines.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.chexaudit.pipelines.stage.StageOutput;

/**
 * A finished {@code metrics} stage's tables as the report reads them: {@code metrics.csv} and, when
 * present, {@code disparity.csv} and {@code calibration.csv}, with the threshold rule it ran with.
 * {@code name} is the stage folder relative to the run ({@code metrics/disease}).
 */
record MetricsStage(String name, String thresholdRule, CsvTable metrics, CsvTable disparity, CsvTable calibration) {
  static final String[] KEY = {"label", "attribute", "group"};

  static boolean isOne(Path dir) {
    return Files.isRegularFile(dir.resolve("metrics.csv")) && Files.isRegularFile(dir.resolve(StageOutput.MANIFEST));
  }

  static MetricsStage read(Path run, Path dir) throws IOException {
    String name = run.relativize(dir).toString();
    Map<?, ?> manifest = StageOutput.readManifest(dir);
    Object options = manifest.get("options");
    String rule = options instanceof Map<?, ?> o && o.get("thresholdRule") != null
        ? String.valueOf(o.get("thresholdRule")) : "";
    return new MetricsStage(name, rule, CsvTable.read(name + "/metrics.csv", dir.resolve("metrics.csv")),
        optional(name, dir, "disparity.csv"), optional(name, dir, "calibration.csv"));
  }

  private static CsvTable optional(String name, Path dir, String file) throws IOException {
    Path p = dir.resolve(file);
    return Files.isRegularFile(p) ? CsvTable.read(name + "/" + file, p) : null;
  }

  String task() {
    return LabelNames.task(name);
  }

  /** The stage folder's suffix after the task ({@code split}, {@code resample}), or "" for none. */
  String variant() {
    String last = name.substring(name.lastIndexOf('/') + 1);
    int dash = last.indexOf('-');
    return dash < 0 ? "" : last.substring(dash + 1);
  }

  String labelName(String label) {
    return LabelNames.name(task(), label);
  }

  /** How the operating point was chosen, as the start of a sentence. */
  String thresholdPhrase() {
    String r = thresholdRule.toLowerCase(Locale.ROOT);
    if (r.startsWith("fpr:")) {
      return "At the global threshold (FPR " + Finding.format(Double.parseDouble(r.substring(4)), 2) + ")";
    }
    if (r.startsWith("maxf1")) {
      return "At the max-F1 threshold";
    }
    if (r.startsWith("youden")) {
      return "At the Youden threshold";
    }
    if (r.startsWith("value:")) {
      return "At threshold " + r.substring(6);
    }
    return "At the stage's threshold";
  }
}
