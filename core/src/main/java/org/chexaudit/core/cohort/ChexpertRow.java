package org.chexaudit.core.cohort;

import java.util.List;

/**
 * One row of a CheXpert images CSV ({@code train.csv} or {@code valid.csv}) as read, before either
 * audit derives anything from it. Blank cells are null; {@code labels} keep CheXpert's coding (1, 0,
 * -1 uncertain, null blank) in the order of the parser's label list.
 *
 * @param path the {@code Path} cell, e.g. {@code CheXpert-v1.0/train/patient00002/study2/view1_frontal.jpg}
 * @param patient the patient segment of the path, e.g. {@code patient00002}
 * @param study the study segment, e.g. {@code study2}
 * @param viewFile the image file name, e.g. {@code view1_frontal.jpg}
 */
public record ChexpertRow(
    String path,
    String patient,
    String study,
    String viewFile,
    String sex,
    Integer age,
    String frontalLateral,
    String apPa,
    List<Float> labels) {

  /** {@code patient_study_viewFile}, e.g. {@code patient00002_study2_view1_frontal.jpg}. */
  public String imageName() {
    return patient + "_" + study + "_" + viewFile;
  }

  /** {@link #imageName()} without its extension: the image's id in both audits. */
  public String imageId() {
    String name = imageName();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
