package org.chexaudit.core.imaging;

import java.io.Serializable;
import java.util.Locale;
import java.util.Map;
import org.chexaudit.schemas.ImageExample;

/**
 * Which images a model is trained on: the original's subgroup-trained models (seeds-spec A2, A5) use
 * the train and validation images of one race or sex only. Named subsets follow the cohort's label
 * coding (race_label White=0, Asian=1, Black=2; sex_label Male=0, Female=1); {@code key=value}
 * selects on the image's attributes map, for datasets with other groups.
 */
public final class TrainSubset implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Map<String, Integer> RACE = Map.of("white", 0, "asian", 1, "black", 2);
  private static final Map<String, Integer> SEX = Map.of("male", 0, "female", 1);

  private final String name;
  private final String field;
  private final String value;

  private TrainSubset(String name, String field, String value) {
    this.name = name;
    this.field = field;
    this.value = value;
  }

  public static TrainSubset all() {
    return new TrainSubset("all", null, null);
  }

  /** Parses {@code all}, {@code white|asian|black}, {@code male|female} or {@code attribute=value}. */
  public static TrainSubset parse(String s) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException("trainSubset can not be empty; use all, white, asian, black, male,"
          + " female or attribute=value");
    }
    String key = s.trim().toLowerCase(Locale.ROOT);
    if (key.equals("all")) {
      return all();
    }
    if (RACE.containsKey(key)) {
      return new TrainSubset(key, "race_label", RACE.get(key).toString());
    }
    if (SEX.containsKey(key)) {
      return new TrainSubset(key, "sex_label", SEX.get(key).toString());
    }
    int eq = s.indexOf('=');
    if (eq > 0 && eq < s.length() - 1) {
      return new TrainSubset(s.trim(), "attributes." + s.substring(0, eq).trim(), s.substring(eq + 1).trim());
    }
    throw new IllegalArgumentException("unknown trainSubset '" + s + "'; expected all, white, asian, black, male,"
        + " female or attribute=value (e.g. race=White)");
  }

  public String name() {
    return name;
  }

  public boolean contains(ImageExample e) {
    if (field == null) {
      return true;
    }
    switch (field) {
      case "race_label":
        return e.getRaceLabel() != null && e.getRaceLabel().toString().equals(value);
      case "sex_label":
        return e.getSexLabel() != null && e.getSexLabel().toString().equals(value);
      default:
        String attribute = field.substring("attributes.".length());
        return value.equals(e.getAttributes().get(attribute));
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
