package org.chexaudit.pipelines.report;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.chexaudit.pipelines.stage.StageOutput;
import org.chexaudit.transforms.io.Resources;

/**
 * A finished {@code metrics} stage's tables as the report reads them: {@code metrics.csv} and, when
 * present, {@code disparity.csv} and {@code calibration.csv}, with the threshold rule it ran with.
 * {@code name} is the stage folder relative to the run ({@code metrics/disease}).
 */
record MetricsStage(String name, String thresholdRule, CsvTable metrics, CsvTable disparity, CsvTable calibration) {
  static final String[] KEY = {"label", "attribute", "group"};

  static boolean isOne(ResourceId dir) {
    return Resources.exists(Resources.file(dir, "metrics.csv")) && Resources.exists(Resources.file(dir, StageOutput.MANIFEST));
  }

  static MetricsStage read(ResourceId run, ResourceId dir) throws IOException {
    String name = HtmlReport.relative(run, dir);
    Map<?, ?> manifest = StageOutput.readManifest(Resources.path(dir));
    Object options = manifest.get("options");
    String rule = options instanceof Map<?, ?> o && o.get("thresholdRule") != null
        ? String.valueOf(o.get("thresholdRule")) : "";
    return new MetricsStage(name, rule, CsvTable.read(name + "/metrics.csv", Resources.file(dir, "metrics.csv")),
        optional(name, dir, "disparity.csv"), optional(name, dir, "calibration.csv"));
  }

  private static CsvTable optional(String name, ResourceId dir, String file) throws IOException {
    ResourceId p = Resources.file(dir, file);
    return Resources.exists(p) ? CsvTable.read(name + "/" + file, p) : null;
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
