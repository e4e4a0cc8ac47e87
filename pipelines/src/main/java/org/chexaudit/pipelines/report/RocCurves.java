package org.chexaudit.pipelines.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chexaudit.core.stats.RocCurve;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.chexaudit.pipelines.stage.StageOutput;
import org.chexaudit.transforms.io.Resources;

/**
 * ROC curves per subgroup of a finished metrics stage, recomputed (scikit-learn's curve, {@link RocCurve})
 * from the predictions and groups files its manifest names, for the report's ROC figures. The stage's
 * own operating point (TPR, FPR from {@code metrics.csv}) is marked on each curve. Returns nothing when
 * the inputs are gone. The predictions file is read whole on the client (through {@link Resources}), so
 * this suits prediction files of test-set size.
 */
final class RocCurves {
  /** Points drawn per curve at most; a longer curve keeps evenly spaced points and its ends. */
  static final int MAX_POINTS = 300;

  record Curve(String group, double auc, double[] fpr, double[] tpr, double pointFpr, double pointTpr) {}

  private RocCurves() {}

  /** The names metrics.csv uses for the score columns: {@code --labelNames} when the stage had them. */
  private static List<String> labelNames(Object option, List<String> scores) {
    List<String> names = list(option);
    return names.size() == scores.size() ? names : scores;
  }

  /** A manifest option that is a list, or a comma-separated string (manifests have written both). */
  static List<String> list(Object option) {
    List<String> out = new ArrayList<>();
    if (option instanceof List<?> l) {
      l.forEach(x -> out.add(String.valueOf(x).strip()));
    } else if (option != null && !String.valueOf(option).isBlank()) {
      for (String x : String.valueOf(option).split(",")) {
        out.add(x.strip());
      }
    }
    return out;
  }

  /** label (as in metrics.csv) → attribute → curves of its groups (and "all"); attributes are the single ones, not intersections. */
  static Map<String, Map<String, List<Curve>>> of(ResourceId stageDir, MetricsStage m) throws IOException {
    Map<?, ?> manifest = StageOutput.readManifest(Resources.path(stageDir));
    if (!(manifest.get("inputs") instanceof Map<?, ?> inputs && manifest.get("options") instanceof Map<?, ?> options)) {
      return Map.of();
    }
    ResourceId predictions = path(inputs.get("predictions"));
    ResourceId groupsFile = path(inputs.get("groupsFile"));
    List<String> scores = list(options.get("scoreColumns"));
    List<String> targets = list(options.get("targetColumns"));
    if (predictions == null || scores.isEmpty() || scores.size() != targets.size()) {
      return Map.of();
    }
    List<String> groupColumns = list(options.get("groupColumns"));
    String idColumn = options.get("idColumn") == null ? "id" : String.valueOf(options.get("idColumn"));
    CsvTable p = CsvTable.read("predictions", predictions);
    Map<String, List<String>> groupRows = new HashMap<>();
    CsvTable groups = groupsFile == null ? p : CsvTable.read("groups", groupsFile);
    groups.rows().forEach(r -> groupRows.put(groups.get(r, idColumn), r));
    Map<String, Map<String, List<Curve>>> out = new LinkedHashMap<>();
    List<String> names = labelNames(options.get("labelNames"), scores);
    for (int i = 0; i < scores.size(); i++) {
      String score = String.valueOf(scores.get(i));
      String label = names.get(i);
      String target = String.valueOf(targets.get(i));
      Map<String, List<Curve>> byAttribute = new LinkedHashMap<>();
      for (String attribute : groupColumns) {
        if (attribute.contains("*") || !groups.header().contains(attribute)) {
          continue;
        }
        Map<String, List<double[]>> byGroup = new LinkedHashMap<>();
        byGroup.put("all", new ArrayList<>());
        for (List<String> r : p.rows()) {
          List<String> g = groupRows.get(p.get(r, idColumn));
          double y = targetValue(p, r, target);
          if (g == null || Double.isNaN(y) || p.get(r, score).isEmpty()) {
            continue;
          }
          double[] pair = {y, p.number(r, score)};
          byGroup.get("all").add(pair);
          byGroup.computeIfAbsent(groups.get(g, attribute), k -> new ArrayList<>()).add(pair);
        }
        List<Curve> curves = new ArrayList<>();
        byGroup.forEach((group, pairs) -> curve(m, label, attribute, group, pairs, curves));
        byAttribute.put(attribute, curves);
      }
      out.put(label, byAttribute);
    }
    return out;
  }

  private static void curve(MetricsStage m, String label, String attribute, String group, List<double[]> pairs,
      List<Curve> out) {
    int[] y = pairs.stream().mapToInt(q -> (int) q[0]).toArray();
    double[] s = pairs.stream().mapToDouble(q -> q[1]).toArray();
    long positives = java.util.Arrays.stream(y).filter(v -> v == 1).count();
    if (positives == 0 || positives == y.length) {
      return; // ROC undefined with one class
    }
    RocCurve roc = RocCurve.of(y, s);
    CsvTable t = m.metrics();
    String rowAttribute = group.equals("all") ? "all" : attribute;
    List<List<String>> row = t.where(r -> t.get(r, "label").equals(label) && t.get(r, "attribute").equals(rowAttribute)
        && t.get(r, "group").equals(group));
    double pf = row.isEmpty() ? Double.NaN : t.number(row.get(0), "fpr");
    double pt = row.isEmpty() ? Double.NaN : t.number(row.get(0), "tpr");
    double[][] thin = thin(roc.fpr(), roc.tpr());
    out.add(new Curve(group, roc.area(), thin[0], thin[1], pf, Double.isNaN(pf) ? Double.NaN : pt));
  }

  static double[][] thin(double[] x, double[] y) {
    if (x.length <= MAX_POINTS) {
      return new double[][] {x, y};
    }
    double[] tx = new double[MAX_POINTS];
    double[] ty = new double[MAX_POINTS];
    for (int i = 0; i < MAX_POINTS; i++) {
      int j = (int) Math.round((double) i * (x.length - 1) / (MAX_POINTS - 1));
      tx[i] = x[j];
      ty[i] = y[j];
    }
    return new double[][] {tx, ty};
  }

  /** A target column's 0/1 value, or for {@code column=value} whether the column equals the value. */
  private static double targetValue(CsvTable t, List<String> row, String target) {
    int eq = target.indexOf('=');
    if (eq > 0) {
      String v = t.get(row, target.substring(0, eq));
      return v.isEmpty() ? Double.NaN : Double.parseDouble(v) == Double.parseDouble(target.substring(eq + 1)) ? 1 : 0;
    }
    String v = t.get(row, target);
    return v.isEmpty() ? Double.NaN : Double.parseDouble(v) > 0.5 ? 1 : 0;
  }

  /** The input file a manifest names, on any Beam file system, or null when it is gone (or a folder). */
  private static ResourceId path(Object input) {
    if (input instanceof Map<?, ?> m && m.get("path") != null) {
      try {
        return Resources.existingFile(String.valueOf(m.get("path")));
      } catch (IllegalArgumentException e) {
        return null; // a scheme with no file system here: the report is read elsewhere than the run was made
      }
    }
    return null;
  }
}
