package org.chexaudit.synth;

import java.util.Arrays;
import java.util.List;

/**
 * Every raw PRIMARY_RACE and ETHNICITY value listed in seeds-spec A2, with the frequencies the
 * generator draws them at. The frequencies are plausible for a US academic hospital, chosen so that
 * after the notebook's join and filters a full-size run keeps about 127k rows with White : Asian :
 * Black close to the published 78 : 15 : 7; they are not the real file's counts. {@code null} stands for a blank cell (NaN in pandas).
 */
public final class DemographicStrings {
  private DemographicStrings() {}

  /** Raw race strings; "(non-)Hispanic" in the spec stands for both spellings. */
  public static final List<String> RACES = Arrays.asList(
      "White", "White, non-Hispanic", "White, Hispanic", "White or Caucasian",
      "Asian", "Asian, non-Hispanic", "Asian, Hispanic", "Asian - Historical Conv",
      "Black or African American", "Black, non-Hispanic", "Black, Hispanic",
      "Other", "Other, Hispanic", "Other, non-Hispanic", "Unknown", "Race and Ethnicity Unknown",
      "Patient Refused", "Native Hawaiian or Other Pacific Islander",
      "Pacific Islander, Hispanic", "Pacific Islander, non-Hispanic",
      "American Indian or Alaska Native", "Native American, Hispanic",
      "Native American, non-Hispanic", null);

  /** Relative frequency of each entry of {@link #RACES}, in percent. */
  static final double[] RACE_WEIGHTS = {
      49.3, 5.5, 0.8, 1.2,
      9.2, 1.6, 0.05, 0.6,
      4.6, 0.9, 0.05,
      8.0, 2.0, 0.6, 5.0, 1.2,
      0.6, 0.9,
      0.05, 0.2,
      0.3, 0.05,
      0.1, 3.5};

  public static final List<String> ETHNICITIES = Arrays.asList(
      "Non-Hispanic/Non-Latino", "Not Hispanic", "Hispanic/Latino", "Hispanic", "Unknown",
      "Patient Refused", null);

  /** Ethnicity weights for modern race strings ("White", "Asian", "Other", ...). */
  private static final double[] ETHNICITY_MODERN = {84.0, 2.0, 7.0, 0.5, 4.5, 1.0, 1.0};
  /** For the older "X, non-Hispanic" spellings, which come with the older "Not Hispanic". */
  private static final double[] ETHNICITY_OLD_NON_HISPANIC = {8.0, 88.0, 0.5, 0.5, 2.0, 0.5, 0.5};
  /** For the older "X, Hispanic" spellings. */
  private static final double[] ETHNICITY_OLD_HISPANIC = {0.5, 0.5, 9.0, 88.0, 1.0, 0.5, 0.5};
  /** For "Unknown", "Race and Ethnicity Unknown", "Patient Refused" and blank race. */
  private static final double[] ETHNICITY_UNKNOWN_RACE = {8.0, 1.0, 2.0, 0.5, 60.0, 18.0, 10.5};

  static {
    if (RACE_WEIGHTS.length != RACES.size()) {
      throw new IllegalStateException("RACE_WEIGHTS and RACES differ in length");
    }
  }

  /** Ethnicity weights (aligned with {@link #ETHNICITIES}) that fit a raw race string. */
  static double[] ethnicityWeights(String race) {
    if (race == null || race.contains("Unknown") || race.equals("Patient Refused")) {
      return ETHNICITY_UNKNOWN_RACE;
    }
    if (race.endsWith(", non-Hispanic")) {
      return ETHNICITY_OLD_NON_HISPANIC;
    }
    if (race.endsWith(", Hispanic")) {
      return ETHNICITY_OLD_HISPANIC;
    }
    return ETHNICITY_MODERN;
  }
}
