package org.chexaudit.models;

import java.util.List;
import java.util.Locale;

/** What a model is trained for: one head, or the three-head multitask model. */
public enum Task {
  DISEASE(List.of(Head.DISEASE)),
  SEX(List.of(Head.SEX)),
  RACE(List.of(Head.RACE)),
  /** Shared backbone, heads fc_disease, fc_sex, fc_race, each stepped by its own Adam per batch. */
  MULTITASK(List.of(Head.DISEASE, Head.SEX, Head.RACE));

  private final List<Head> heads;

  Task(List<Head> heads) {
    this.heads = heads;
  }

  public List<Head> heads() {
    return heads;
  }

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Task parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown task '" + s + "'; expected disease, sex, race or multitask", e);
    }
  }
}
