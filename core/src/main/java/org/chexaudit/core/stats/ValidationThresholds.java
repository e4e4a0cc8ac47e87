package org.chexaudit.core.stats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Thresholds chosen on a validation set and applied unchanged to the audited (test) rows, as
 * CheXclusion (spec B5): per label, the {@link MaxF1Rule max-F1} threshold of the validation
 * predictions. A label without validation positives has F1 NaN everywhere and gets NaN, which
 * predicts no row positive. Used by {@code metrics --thresholdRule=maxf1:VALFILE} and
 * {@code chexclusion-eval}.
 */
public final class ValidationThresholds {
  private ValidationThresholds() {}

  /** Max-F1 threshold per label name ({@code labels} by position in the rows), in label order. */
  public static Map<String, Double> maxF1(List<String> labels, List<ScoredRow> validation) {
    if (validation.isEmpty()) {
      throw new IllegalArgumentException("ValidationThresholds: validation predictions are empty");
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (int l = 0; l < labels.size(); l++) {
      out.put(labels.get(l), maxF1(curve(validation, l)));
    }
    return out;
  }

  /** Max-F1 threshold of one label's validation curve; NaN without positives. */
  public static double maxF1(BinaryCurve validation) {
    return validation.positives() == 0 ? Double.NaN : MaxF1Rule.create().choose(validation);
  }

  /** Label {@code label}'s targets and scores of {@code rows}. */
  public static BinaryCurve curve(List<ScoredRow> rows, int label) {
    int[] y = new int[rows.size()];
    double[] s = new double[rows.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = rows.get(i).target(label);
      s[i] = rows.get(i).score(label);
    }
    return BinaryCurve.of(y, s);
  }
}
