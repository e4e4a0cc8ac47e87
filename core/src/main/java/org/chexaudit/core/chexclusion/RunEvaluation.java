package org.chexaudit.core.chexclusion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.core.stats.AveragePrecision;
import org.chexaudit.core.stats.BinaryCurve;
import org.chexaudit.core.stats.RocCurve;
import org.chexaudit.core.stats.TprGaps;
import org.chexaudit.core.stats.ValidationThresholds;

/**
 * CheXclusion's evaluation of one trained model (spec B5, B6): per label, the threshold that
 * maximises F1 on the validation predictions (lowest among ties), binary test predictions
 * {@code score >= threshold}, test AUC and AUPRC, then per attribute and label the TPR of every
 * subgroup, its gap (the attribute's complement or median rule) and its share of the positives.
 * The threshold ({@link ValidationThresholds}) and gap ({@link TprGaps}) are the code {@code metrics}
 * uses; {@code chexclusion-eval} also writes the same evaluation through the Beam
 * {@code SubgroupMetrics} and {@code TprDisparity} transforms.
 *
 * <p>Row attributes are matched to {@code attributes} by position. A row whose attribute is
 * missing is left out of that attribute's counts only.
 */
public final class RunEvaluation {
  private final List<String> labels;
  private final List<LabelScore> scores;
  private final List<String> testIds;
  private final boolean[][] predicted;
  private final Map<String, Map<String, List<GroupGap>>> gaps;

  private RunEvaluation(List<String> labels, List<LabelScore> scores, List<String> testIds, boolean[][] predicted,
      Map<String, Map<String, List<GroupGap>>> gaps) {
    this.labels = labels;
    this.scores = scores;
    this.testIds = testIds;
    this.predicted = predicted;
    this.gaps = gaps;
  }

  /** Evaluates one run. Labels without validation positives get threshold NaN and no positive predictions. */
  public static RunEvaluation evaluate(List<String> labels, List<ScoredRow> validation, List<ScoredRow> test,
      List<DisparityAttribute> attributes) {
    check(labels, validation, "validation", 0);
    check(labels, test, "test", attributes.size());
    int k = labels.size();
    List<LabelScore> scores = new ArrayList<>();
    boolean[][] predicted = new boolean[test.size()][k];
    Map<String, Double> thresholds = ValidationThresholds.maxF1(labels, validation);
    for (int l = 0; l < k; l++) {
      double threshold = thresholds.get(labels.get(l));
      BinaryCurve testCurve = ValidationThresholds.curve(test, l);
      scores.add(new LabelScore(labels.get(l), threshold, RocCurve.auc(testCurve), AveragePrecision.of(testCurve)));
      for (int i = 0; i < test.size(); i++) {
        predicted[i][l] = test.get(i).score(l) >= threshold; // false for a NaN threshold
      }
    }
    Map<String, Map<String, List<GroupGap>>> gaps = new LinkedHashMap<>();
    for (int a = 0; a < attributes.size(); a++) {
      gaps.put(attributes.get(a).name(), attributeGaps(labels, test, predicted, attributes.get(a), a));
    }
    List<String> ids = test.stream().map(ScoredRow::id).toList();
    return new RunEvaluation(List.copyOf(labels), List.copyOf(scores), ids, predicted, gaps);
  }

  private static void check(List<String> labels, List<ScoredRow> rows, String what, int attributes) {
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("RunEvaluation: no labels");
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("RunEvaluation: " + what + " predictions are empty");
    }
    for (ScoredRow r : rows) {
      if (r.labelCount() != labels.size()) {
        throw new IllegalArgumentException("RunEvaluation: " + what + " row " + r.id() + " has " + r.labelCount()
            + " scores but there are " + labels.size() + " labels " + labels);
      }
      if (r.attributeCount() < attributes) {
        throw new IllegalArgumentException("RunEvaluation: " + what + " row " + r.id() + " has " + r.attributeCount()
            + " attributes, expected " + attributes);
      }
    }
  }

  private static Map<String, List<GroupGap>> attributeGaps(List<String> labels, List<ScoredRow> test,
      boolean[][] predicted, DisparityAttribute attribute, int a) {
    List<String> values = new ArrayList<>();
    for (ScoredRow r : test) {
      values.add(r.attribute(a));
    }
    List<String> groups = attribute.groupsOf(values);
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int g = 0; g < groups.size(); g++) {
      index.put(groups.get(g), g);
    }
    Map<String, List<GroupGap>> out = new LinkedHashMap<>();
    for (int l = 0; l < labels.size(); l++) {
      long[] positives = new long[groups.size()];
      long[] truePositives = new long[groups.size()];
      for (int i = 0; i < test.size(); i++) {
        String v = test.get(i).attribute(a);
        if (attribute.isMissing(v) || test.get(i).target(l) != 1) {
          continue;
        }
        int g = index.get(v.trim());
        positives[g]++;
        if (predicted[i][l]) {
          truePositives[g]++;
        }
      }
      List<TprGaps.GroupCounts> counts = new ArrayList<>();
      for (int g = 0; g < groups.size(); g++) {
        counts.add(new TprGaps.GroupCounts(groups.get(g), positives[g], truePositives[g]));
      }
      List<TprGaps.Gap> gaps = TprGaps.of(counts, attribute.rule());
      List<GroupGap> row = new ArrayList<>();
      for (int g = 0; g < groups.size(); g++) {
        TprGaps.Gap x = gaps.get(g);
        row.add(new GroupGap(x.group, positives[g], truePositives[g], x.tpr, x.gap, x.shareOfPositives));
      }
      out.put(labels.get(l), List.copyOf(row));
    }
    return out;
  }

  public List<String> labels() {
    return labels;
  }

  /** Threshold, AUC and AUPRC per label, in label order. */
  public List<LabelScore> scores() {
    return scores;
  }

  public List<String> testIds() {
    return testIds;
  }

  /** Binary test prediction of row {@code row} for label {@code label}. */
  public boolean predicted(int row, int label) {
    return predicted[row][label];
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
