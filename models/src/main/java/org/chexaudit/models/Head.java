package org.chexaudit.models;

/** One output head: what it predicts and how its logits become probabilities and a loss. */
public enum Head {
  /** Multi-label findings: sigmoid per class, binary cross-entropy (U-zeros targets). */
  DISEASE(true),
  /** Sex, 2 classes (class 1 = female): softmax, cross-entropy. */
  SEX(false),
  /** Race, 3 classes (White, Asian, Black): softmax, weighted cross-entropy. */
  RACE(false);

  private final boolean multiLabel;

  Head(boolean multiLabel) {
    this.multiLabel = multiLabel;
  }

  /** Sigmoid/BCE when true, softmax/cross-entropy when false. */
  public boolean multiLabel() {
    return multiLabel;
  }

  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
