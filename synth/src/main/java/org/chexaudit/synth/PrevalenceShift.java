package org.chexaudit.synth;

import java.util.ArrayList;
import java.util.List;

/**
 * Multiplies the odds of a label being positive for one demographic group, so that the group's
 * prevalence differs and test-set resampling has something to correct. Written
 * {@code Label@Group=oddsRatio}; Group is a race group (White, Asian, Black, Other) or a sex (Male,
 * Female).
 */
public record PrevalenceShift(String label, String group, double oddsRatio) {
  public PrevalenceShift {
    ChexpertFormat.labelIndex(label);
    if (RaceGroup.parse(group) == null && !group.equals("Male") && !group.equals("Female")) {
      throw new IllegalArgumentException("prevalence shift group must be White, Asian, Black, Other,"
          + " Male or Female, got '" + group + "'");
    }
    if (!(oddsRatio > 0) || Double.isInfinite(oddsRatio)) {
      throw new IllegalArgumentException(
          "prevalence shift odds ratio must be positive and finite, got " + oddsRatio);
    }
  }

  public boolean appliesTo(RaceGroup race, String sex) {
    RaceGroup g = RaceGroup.parse(group);
    return g != null ? g == race : group.equals(sex);
  }

  /** Parses a comma-separated list such as {@code Pleural Effusion@Black=2.0,Cardiomegaly@Female=0.5}. */
  public static List<PrevalenceShift> parseList(String text) {
    List<PrevalenceShift> out = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String item : text.split(",")) {
      int at = item.indexOf('@');
      int eq = item.indexOf('=');
      if (at < 0 || eq < at) {
        throw new IllegalArgumentException(
            "prevalence shift must look like Label@Group=oddsRatio, got '" + item.trim() + "'");
      }
      double or;
      try {
        or = Double.parseDouble(item.substring(eq + 1).trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "prevalence shift odds ratio is not a number in '" + item.trim() + "'");
      }
      out.add(new PrevalenceShift(item.substring(0, at).trim(), item.substring(at + 1, eq).trim(), or));
    }
    return out;
  }

  @Override
  public String toString() {
    return label + "@" + group + "=" + oddsRatio;
  }
}
