package org.chexaudit.transforms.chexclusion;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.chexaudit.core.chexclusion.DisparityAttribute;
import org.chexaudit.core.chexclusion.GroupGap;
import org.chexaudit.core.chexclusion.LabelScore;
import org.chexaudit.core.chexclusion.RunEvaluation;
import org.chexaudit.core.stats.SubgroupKey;
import org.chexaudit.schemas.SubgroupMetric;
import org.chexaudit.schemas.TprGap;

/**
 * One training run's {@link RunEvaluation} read from the records the Beam transforms wrote for it: the
 * whole-set {@link SubgroupMetric} of each label (threshold, AUC, AUPRC) and the {@link TprGap} rows of
 * {@code TprDisparity}. A few records per label and group, whatever the number of images.
 */
public final class RunRecords {
  private RunRecords() {}

  /** {@code metrics} and {@code gaps} are one run's records (other runs' are refused). */
  public static RunEvaluation of(List<String> labels, List<DisparityAttribute> attributes,
      Iterable<SubgroupMetric> metrics, Iterable<TprGap> gaps) {
    Map<String, LabelScore> whole = new HashMap<>();
    for (SubgroupMetric m : metrics) {
      if (SubgroupKey.ALL.equals(m.getAttribute().toString())) {
        String label = m.getLabel().toString();
        whole.put(label, new LabelScore(label, m.getThreshold(), orNaN(m.getAuc()), orNaN(m.getAuprc())));
      }
    }
    List<LabelScore> scores = new ArrayList<>();
    for (String label : labels) {
      LabelScore s = whole.get(label);
      if (s == null) {
        throw new IllegalArgumentException("RunRecords: no whole-set metrics for label '" + label + "'; have "
            + whole.keySet());
      }
      scores.add(s);
    }
    Map<String, Map<String, List<GroupGap>>> byAttribute = new LinkedHashMap<>();
    for (DisparityAttribute a : attributes) {
      byAttribute.put(a.name(), gapsByLabel(labels, a, gaps));
    }
    return RunEvaluation.of(labels, scores, byAttribute);
  }

  /**
   * One run's gaps of {@code attribute} per label (label order), every label with the same groups in the
   * attribute's report order; a group missing for a label (none should) is left out of that label.
   */
  public static Map<String, List<GroupGap>> gapsByLabel(List<String> labels, DisparityAttribute attribute,
      Iterable<TprGap> gaps) {
    Map<String, Map<String, GroupGap>> byLabel = new HashMap<>();
    Set<String> seen = new LinkedHashSet<>();
    String run = null;
    boolean first = true;
    for (TprGap g : gaps) {
      String r = g.getRun() == null ? null : g.getRun().toString();
      if (first) {
        run = r;
        first = false;
      } else if (!java.util.Objects.equals(run, r)) {
        throw new IllegalArgumentException("RunRecords: gaps of runs " + run + " and " + r + " mixed");
      }
      if (!g.getAttribute().toString().equals(attribute.name())) {
        continue;
      }
      String group = g.getGroup().toString();
      seen.add(group);
      byLabel.computeIfAbsent(g.getLabel().toString(), k -> new HashMap<>()).put(group, new GroupGap(group,
          g.getPositives() == null ? 0 : g.getPositives(), g.getTruePositives() == null ? 0 : g.getTruePositives(),
          orNaN(g.getTpr()), orNaN(g.getTprGap()), orNaN(g.getShareOfPositives())));
    }
    List<String> order = attribute.groupsOf(seen);
    Map<String, List<GroupGap>> out = new LinkedHashMap<>();
    for (String label : labels) {
      Map<String, GroupGap> groups = byLabel.getOrDefault(label, Map.of());
      List<GroupGap> row = new ArrayList<>();
      for (String g : order) {
        if (groups.containsKey(g)) {
          row.add(groups.get(g));
        }
      }
      out.put(label, row);
    }
    return out;
  }

  private static double orNaN(Double v) {
    return v == null ? Double.NaN : v;
  }
}
