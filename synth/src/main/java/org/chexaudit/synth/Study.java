package org.chexaudit.synth;

import java.util.List;

/** One study of a patient: the age at the study, its 14 labels (CheXpert order) and its views. */
public record Study(int number, int age, List<LabelValue> labels, List<View> views) {
  public LabelValue label(String name) {
    return labels.get(ChexpertFormat.labelIndex(name));
  }
}
