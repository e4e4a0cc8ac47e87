package org.chexaudit.core.explore;

import java.io.Serializable;
import java.util.List;

/**
 * Two groups of one attribute to compare with a KS test: rows whose {@code attribute} equals
 * {@code groupA} against rows where it equals {@code groupB}.
 */
public record KsComparison(String name, String attribute, String groupA, String groupB) implements Serializable {
  public KsComparison {
    if (name == null || attribute == null || groupA == null || groupB == null) {
      throw new IllegalArgumentException("KsComparison: name, attribute and groups must be set, got "
          + name + ", " + attribute + ", " + groupA + ", " + groupB);
    }
  }

  public static KsComparison of(String attribute, String groupA, String groupB) {
    return new KsComparison(groupA + " vs " + groupB, attribute, groupA, groupB);
  }

  /** The explorer's five comparisons, in its column order. */
  public static List<KsComparison> chexploration() {
    return List.of(
        of("disease", "Pleural Effusion", "No Finding"),
        of("race", "Asian", "White"),
        of("race", "Black", "Asian"),
        of("race", "White", "Black"),
        of("sex", "Female", "Male"));
  }
}
