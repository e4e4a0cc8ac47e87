package org.chexaudit.synth;

/** A CheXpert label cell: positive, negative, uncertain, or blank (not mentioned). */
public enum LabelValue {
  POSITIVE("1.0"),
  NEGATIVE("0.0"),
  UNCERTAIN("-1.0"),
  BLANK("");

  private final String csv;

  LabelValue(String csv) {
    this.csv = csv;
  }

  /** The cell as CheXpert's train.csv writes it. */
  public String csv() {
    return csv;
  }
}
