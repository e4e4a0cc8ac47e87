package org.chexaudit.core.cohort;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import org.chexaudit.schemas.CohortRecord;

/**
 * Turns one row of an images CSV (CheXpert's {@code train.csv}) into a {@link CohortRecord} with the
 * columns chexploration derives from it: patient id, {@code path_preproc}, labels, sex label and the
 * 3-class disease. The row itself is read by {@link ChexpertRowParser}; demographics and split are
 * filled in by later steps.
 */
public final class ImageRowParser implements Serializable {
  private static final long serialVersionUID = 1L;

  private final CohortSpec spec;
  private final ChexpertRowParser rows;
  private final int positiveLabel;
  private final int normalLabel;

  /** Thrown for a row that cannot be turned into a record; becomes a dead letter. */
  public static final class BadRowException extends Exception {
    public BadRowException(String message) {
      super(message);
    }
  }

  /**
   * @throws IllegalArgumentException naming every required column the header lacks
   */
  public ImageRowParser(CohortSpec spec, List<String> header) {
    this.spec = spec;
    this.rows = new ChexpertRowParser(spec, spec.labels, header);
    positiveLabel = spec.labelIndex(spec.diseasePositiveLabel);
    normalLabel = spec.labelIndex(spec.diseaseNormalLabel);
  }

  public CohortRecord parse(long rowIndex, List<String> fields) throws BadRowException {
    ChexpertRow row = rows.parse(fields);
    List<Float> labels = row.labels();
    boolean positive = isOne(labels.get(positiveLabel));
    boolean normal = isOne(labels.get(normalLabel));
    // Notebook order: NF==1 -> No Finding, then PE==1 overrides, else Other (seeds-spec A2).
    int diseaseLabel = positive ? 1 : normal ? 0 : 2;
    String disease =
        positive ? spec.diseasePositiveLabel : normal ? spec.diseaseNormalLabel : "Other";

    return CohortRecord.newBuilder()
        .setId(row.imageId())
        .setRowIndex(rowIndex)
        .setPatientId(row.patient())
        .setPath(row.path())
        .setPathPreproc(spec.preprocPrefix + row.imageName())
        .setSex(row.sex())
        .setAge(row.age())
        .setFrontalLateral(row.frontalLateral())
        .setApPa(row.apPa())
        .setLabels(labels)
        .setSexLabel(row.sex() == null ? null : spec.sexLabels.get(row.sex()))
        .setDisease(disease)
        .setDiseaseLabel(diseaseLabel)
        .setAttributes(new HashMap<>())
        .build();
  }

  private static boolean isOne(Float v) {
    return v != null && v == 1f;
  }
}
