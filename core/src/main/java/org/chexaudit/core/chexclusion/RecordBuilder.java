package org.chexaudit.core.chexclusion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.chexaudit.schemas.CohortRecord;

/**
 * Builds the {@link CohortRecord} of one image for the CheXclusion adapters. Attributes (sex, age bin,
 * race, insurance, source) go into the attributes map, missing ones are left out. The 3-class
 * {@code disease} column is derived as chexploration derives it (effusion positive, else No Finding,
 * else Other); for a label list without "No Finding" (NIH) an image with no positive label is "No Finding".
 */
final class RecordBuilder {
  private final List<String> labels;
  private final int effusion;
  private final int noFinding;

  RecordBuilder(List<String> labels) {
    this.labels = List.copyOf(labels);
    int e = labels.indexOf("Pleural Effusion");
    this.effusion = e >= 0 ? e : labels.indexOf("Effusion");
    this.noFinding = labels.indexOf("No Finding");
  }

  List<String> labels() {
    return labels;
  }

  CohortRecord build(String id, long row, String patient, String path, String sex, Integer age, List<Float> values,
      Map<String, String> attributes) {
    boolean positive = effusion >= 0 && isOne(values.get(effusion));
    boolean normal = noFinding >= 0 ? isOne(values.get(noFinding)) : values.stream().noneMatch(RecordBuilder::isOne);
    return CohortRecord.newBuilder()
        .setId(id).setRowIndex(row).setPatientId(patient).setPath(path).setPathPreproc(path)
        .setSex(sex).setAge(age).setLabels(new ArrayList<>(values))
        .setDisease(positive ? labels.get(effusion) : normal ? "No Finding" : "Other")
        .setDiseaseLabel(positive ? 1 : normal ? 0 : 2)
        .setAttributes(Map.copyOf(attributes))
        .build();
  }

  private static boolean isOne(Float v) {
    return v != null && v == 1f;
  }

  /** A row that cannot be used; the adapter turns it into a dead letter. */
  static final class BadRow extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRow(String reason) {
      super(reason);
    }
  }
}
