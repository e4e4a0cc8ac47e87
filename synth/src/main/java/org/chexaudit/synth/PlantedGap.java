package org.chexaudit.synth;

import java.io.Serializable;

/**
 * A planted TPR gap for the CheXclusion formats: in images of patients whose {@code attribute}
 * (insurance, race or sex, as the written files spell them) equals {@code group}, the finding
 * {@code label} is painted at {@code factor} times its strength, so a model misses it more often
 * there. Parsed from {@code attribute=group:label:factor}, e.g. {@code insurance=Medicaid:Cardiomegaly:0.3}.
 */
public record PlantedGap(String attribute, String group, String label, double factor) implements Serializable {
  public PlantedGap {
    if (!attribute.equals("insurance") && !attribute.equals("race") && !attribute.equals("sex")) {
      throw new IllegalArgumentException("planted gap attribute must be insurance, race or sex, got '" + attribute + "'");
    }
    if (!ChexpertFormat.LABELS.contains(label)) {
      throw new IllegalArgumentException("planted gap label '" + label + "' is not one of " + ChexpertFormat.LABELS);
    }
    if (!(factor >= 0)) {
      throw new IllegalArgumentException("planted gap factor must be >= 0, got " + factor);
    }
  }

  public static PlantedGap parse(String text) {
    int eq = text.indexOf('=');
    String[] rest = eq < 0 ? new String[0] : text.substring(eq + 1).split(":");
    if (eq <= 0 || rest.length != 3) {
      throw new IllegalArgumentException("planted gap '" + text + "' is not attribute=group:label:factor,"
          + " e.g. insurance=Medicaid:Cardiomegaly:0.3");
    }
    try {
      return new PlantedGap(text.substring(0, eq).trim(), rest[0].trim(), rest[1].trim(), Double.parseDouble(rest[2].trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("planted gap '" + text + "': factor '" + rest[2] + "' is not a number");
    }
  }

  /** The painter configuration for the planted group. */
  SynthConfig weakened(SynthConfig config) {
    return config.toBuilder().findingStrength(label, config.findingStrength(label) * factor).build();
  }
}
