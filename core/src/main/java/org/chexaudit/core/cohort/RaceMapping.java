package org.chexaudit.core.cohort;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Maps a raw race string to a race group by case-sensitive substring, rules checked in order, first
 * match wins (chexploration: Black, then White, then Asian). Unmatched strings map to nothing.
 */
public final class RaceMapping implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One rule: raw strings containing {@code substring} map to {@code race} with {@code label}. */
  public record Rule(String substring, String race, int label) implements Serializable {
    public Rule {
      Objects.requireNonNull(substring, "substring");
      Objects.requireNonNull(race, "race");
    }
  }

  /** The mapped group. */
  public record Group(String race, int label) implements Serializable {}

  private final List<Rule> rules;

  public RaceMapping(List<Rule> rules) {
    if (rules.isEmpty()) {
      throw new IllegalArgumentException("RaceMapping needs at least one rule");
    }
    this.rules = List.copyOf(rules);
  }

  public List<Rule> rules() {
    return rules;
  }

  /** Returns the group of {@code raw}, or null when no rule matches or {@code raw} is null. */
  public Group map(String raw) {
    if (raw == null) {
      return null;
    }
    for (Rule r : rules) {
      if (raw.contains(r.substring())) {
        return new Group(r.race(), r.label());
      }
    }
    return null;
  }

  /** Race names in label order (index = label), for tables and plots. */
  public List<String> racesByLabel() {
    String[] byLabel = new String[rules.stream().mapToInt(Rule::label).max().orElse(-1) + 1];
    for (Rule r : rules) {
      byLabel[r.label()] = r.race();
    }
    return List.of(byLabel);
  }
}
