package org.chexaudit.models;

/**
 * A head of a concrete model.
 *
 * @param head what it predicts
 * @param name variable prefix: torchvision's {@code classifier}/{@code fc} for a single-task model,
 *     {@code fc_disease}/{@code fc_sex}/{@code fc_race} in the multitask model (as the original)
 * @param classes number of outputs
 */
public record HeadSpec(Head head, String name, int classes) {
  public HeadSpec {
    if (classes < 1) {
      throw new IllegalArgumentException("head " + name + ": classes must be >= 1, got " + classes);
    }
  }
}
