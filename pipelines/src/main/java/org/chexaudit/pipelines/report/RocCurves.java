package org.chexaudit.pipelines.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.chexaudit.pipelines.stage.AvroFiles;
import org.chexaudit.schemas.SubgroupMetric;
import org.chexaudit.transforms.io.Resources;

/**
 * ROC curves per subgroup of a finished metrics stage, as the stage computed them in its pipeline: each
 * {@code metrics.avro} record's ROC points (scikit-learn's curve with drop_intermediate, thinned to at most 256), AUC and
 * operating point (TPR, FPR at the stage's threshold). Nothing is recomputed and no predictions are read,
 * so the report costs the same whatever the size of the audited set. Returns nothing for a stage without
 * {@code metrics.avro} (written before the ROC points were kept).
 */
final class RocCurves {
  record Curve(String group, double auc, double[] fpr, double[] tpr, double pointFpr, double pointTpr) {}

  private RocCurves() {}

  /**
   * label (as in metrics.csv) → attribute → the whole set's curve and its groups' (by group name);
   * attributes are the single ones, not intersections, and a curve needs both classes.
   */
  static Map<String, Map<String, List<Curve>>> of(ResourceId stageDir) {
    ResourceId file = Resources.file(stageDir, "metrics.avro");
    if (!Resources.exists(file)) {
      return Map.of();
    }
    Map<String, Curve> whole = new LinkedHashMap<>();
    Map<String, Map<String, TreeMap<String, Curve>>> groups = new LinkedHashMap<>();
    for (SubgroupMetric r : AvroFiles.read(file, SubgroupMetric.class)) {
      String label = r.getLabel().toString();
      String attribute = r.getAttribute().toString();
      if (r.getRocFpr().size() < 2 || r.getAuc() == null || attribute.contains("*")) {
        continue; // one class, or an intersection
      }
      Curve c = curve(r);
      if (attribute.equals("all")) {
        whole.put(label, c);
      } else {
        groups.computeIfAbsent(label, k -> new LinkedHashMap<>()).computeIfAbsent(attribute, k -> new TreeMap<>())
            .put(c.group(), c);
      }
    }
    Map<String, Map<String, List<Curve>>> out = new LinkedHashMap<>();
    groups.forEach((label, byAttribute) -> byAttribute.forEach((attribute, curves) -> {
      List<Curve> list = new ArrayList<>();
      if (whole.containsKey(label)) {
        list.add(whole.get(label));
      }
      list.addAll(curves.values());
      out.computeIfAbsent(label, k -> new LinkedHashMap<>()).put(attribute, list);
    }));
    return out;
  }

  private static Curve curve(SubgroupMetric r) {
    double[] fpr = r.getRocFpr().stream().mapToDouble(Double::doubleValue).toArray();
    double[] tpr = r.getRocTpr().stream().mapToDouble(Double::doubleValue).toArray();
    boolean point = r.getFpr() != null && r.getTpr() != null;
    return new Curve(r.getGroup().toString(), r.getAuc(), fpr, tpr, point ? r.getFpr() : Double.NaN,
        point ? r.getTpr() : Double.NaN);
  }
}
