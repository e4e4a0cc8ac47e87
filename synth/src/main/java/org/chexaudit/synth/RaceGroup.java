package org.chexaudit.synth;

/**
 * The group a raw PRIMARY_RACE string falls into under the chexploration rule (seeds-spec A2:
 * case-sensitive substring, Black before White before Asian). The generator keys its race signal
 * and prevalence shifts on it; OTHER covers every string the audit drops, and the blank cell.
 */
public enum RaceGroup {
  WHITE("White"),
  ASIAN("Asian"),
  BLACK("Black"),
  OTHER("Other");

  private final String displayName;

  RaceGroup(String displayName) {
    this.displayName = displayName;
  }

  public String displayName() {
    return displayName;
  }

  /** Group of a raw string; {@code null} (a blank cell) is OTHER. */
  public static RaceGroup ofRaw(String raw) {
    if (raw == null) {
      return OTHER;
    }
    if (raw.contains("Black")) {
      return BLACK;
    }
    if (raw.contains("White")) {
      return WHITE;
    }
    if (raw.contains("Asian")) {
      return ASIAN;
    }
    return OTHER;
  }

  public static RaceGroup parse(String name) {
    for (RaceGroup g : values()) {
      if (g.displayName.equalsIgnoreCase(name) || g.name().equalsIgnoreCase(name)) {
        return g;
      }
    }
    return null;
  }
}
