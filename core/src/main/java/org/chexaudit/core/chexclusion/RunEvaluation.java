package org.chexaudit.core.chexclusion;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CheXclusion's evaluation of one trained model (spec B5, B6), as the tables need it: per label the
 * threshold chosen on validation (max F1, lowest among ties), test AUC and AUPRC; per attribute and
 * label the TPR of every subgroup, its gap (the attribute's complement or median rule) and its share
 * of the positives. The figures are computed elsewhere, by the same code as the {@code metrics}
 * command (in {@code chexclusion-eval}: the Beam {@code ValidationThresholds}, {@code SubgroupMetrics}
 * and {@code TprDisparity} transforms); this class only holds one run's results for
 * {@link AucSummary}, {@link MeanDisparity} and {@link ChexclusionCsv}.
 */
public final class RunEvaluation {
  private final List<String> labels;
  private final List<LabelScore> scores;
  private final Map<String, Map<String, List<GroupGap>>> gaps;

  private RunEvaluation(List<String> labels, List<LabelScore> scores, Map<String, Map<String, List<GroupGap>>> gaps) {
    this.labels = labels;
    this.scores = scores;
    this.gaps = gaps;
  }

  /**
   * One run: {@code scores} in label order, and per attribute (configuration order) the subgroup gaps
   * of every label (label order; groups in the attribute's report order).
   */
  public static RunEvaluation of(List<String> labels, List<LabelScore> scores,
      Map<String, Map<String, List<GroupGap>>> gaps) {
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("RunEvaluation: no labels");
    }
    if (!scores.stream().map(LabelScore::label).toList().equals(labels)) {
      throw new IllegalArgumentException("RunEvaluation: scores are for " + scores.stream().map(LabelScore::label)
          .toList() + ", not the labels " + labels);
    }
    Map<String, Map<String, List<GroupGap>>> copy = new LinkedHashMap<>();
    gaps.forEach((attribute, byLabel) -> {
      if (!List.copyOf(byLabel.keySet()).equals(labels)) {
        throw new IllegalArgumentException("RunEvaluation: gaps of " + attribute + " are for " + byLabel.keySet()
            + ", not the labels " + labels);
      }
      Map<String, List<GroupGap>> rows = new LinkedHashMap<>();
      byLabel.forEach((label, groups) -> rows.put(label, List.copyOf(groups)));
      copy.put(attribute, rows);
    });
    return new RunEvaluation(List.copyOf(labels), List.copyOf(scores), copy);
  }

  public List<String> labels() {
    return labels;
  }

  /** Threshold, AUC and AUPRC per label, in label order. */
  public List<LabelScore> scores() {
    return scores;
  }

  /** Attribute names, in configuration order. */
  public List<String> attributes() {
    return List.copyOf(gaps.keySet());
  }

  /** Per label (label order), the subgroup gaps of {@code attribute} in report order. */
  public Map<String, List<GroupGap>> gaps(String attribute) {
    Map<String, List<GroupGap>> g = gaps.get(attribute);
    if (g == null) {
      throw new IllegalArgumentException("no attribute '" + attribute + "'; evaluated " + gaps.keySet());
    }
    return g;
  }

  /** Mean AUC over the labels with a defined AUC (the original's "AUC ave"). */
  public double meanAuc() {
    return scores.stream().mapToDouble(LabelScore::auc).filter(d -> !Double.isNaN(d)).average().orElse(Double.NaN);
  }
}
