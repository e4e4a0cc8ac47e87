package org.chexaudit.synth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-image probabilities of a label cell being 1.0, -1.0 or 0.0 (the rest is blank), before
 * demographic shifts.
 */
public record LabelRates(double positive, double uncertain, double negative) {
  public LabelRates {
    check("positive", positive);
    check("uncertain", uncertain);
    check("negative", negative);
    if (positive + uncertain + negative > 1.0 + 1e-9) {
      throw new IllegalArgumentException("label rates positive+uncertain+negative must be <= 1, got "
          + positive + "+" + uncertain + "+" + negative);
    }
  }

  private static void check(String field, double v) {
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException("label rate " + field + " must be in [0,1], got " + v);
    }
  }

  /** Parses {@code pos:unc:neg}, e.g. {@code 0.386:0.052:0.158}. */
  public static LabelRates parse(String text) {
    String[] p = text.trim().split(":");
    if (p.length != 3) {
      throw new IllegalArgumentException(
          "label rates must be positive:uncertain:negative, got '" + text + "'");
    }
    try {
      return new LabelRates(Double.parseDouble(p[0]), Double.parseDouble(p[1]),
          Double.parseDouble(p[2]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("label rates are not numbers: '" + text + "'");
    }
  }

  /**
   * Rates close to CheXpert-v1.0 train.csv (share of the 223,414 rows that are 1.0 / -1.0 / 0.0),
   * rounded. No Finding is only ever 1.0 or blank.
   */
  public static Map<String, LabelRates> chexpertLike() {
    Map<String, LabelRates> m = new LinkedHashMap<>();
    m.put("No Finding", new LabelRates(0.100, 0, 0));
    m.put("Enlarged Cardiomediastinum", new LabelRates(0.048, 0.056, 0.097));
    m.put("Cardiomegaly", new LabelRates(0.121, 0.036, 0.050));
    m.put("Lung Opacity", new LabelRates(0.473, 0.025, 0.030));
    m.put("Lung Lesion", new LabelRates(0.041, 0.007, 0.006));
    m.put("Edema", new LabelRates(0.234, 0.058, 0.093));
    m.put("Consolidation", new LabelRates(0.066, 0.124, 0.126));
    m.put("Pneumonia", new LabelRates(0.027, 0.084, 0.013));
    m.put("Atelectasis", new LabelRates(0.149, 0.151, 0.006));
    m.put("Pneumothorax", new LabelRates(0.087, 0.014, 0.252));
    m.put("Pleural Effusion", new LabelRates(0.386, 0.052, 0.158));
    m.put("Pleural Other", new LabelRates(0.016, 0.012, 0.001));
    m.put("Fracture", new LabelRates(0.040, 0.003, 0.011));
    m.put("Support Devices", new LabelRates(0.519, 0.005, 0.027));
    return m;
  }
}
