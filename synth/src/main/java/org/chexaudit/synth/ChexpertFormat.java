package org.chexaudit.synth;

import java.util.List;

/** The file layout of CheXpert-v1.0 that the generator reproduces (seeds-spec A2). */
public final class ChexpertFormat {
  private ChexpertFormat() {}

  /** The 14 labels in CheXpert column order (model output index = list index). */
  public static final List<String> LABELS = List.of(
      "No Finding", "Enlarged Cardiomediastinum", "Cardiomegaly", "Lung Opacity", "Lung Lesion",
      "Edema", "Consolidation", "Pneumonia", "Atelectasis", "Pneumothorax", "Pleural Effusion",
      "Pleural Other", "Fracture", "Support Devices");

  public static final String TRAIN_CSV_HEADER =
      "Path,Sex,Age,Frontal/Lateral,AP/PA," + String.join(",", LABELS);

  /** Folder under the output root holding train.csv and train/. */
  public static final String ROOT = "CheXpert-v1.0";
  public static final String TRAIN_CSV = ROOT + "/train.csv";
  public static final String DEMO_XLSX = "CHEXPERT DEMO.xlsx";
  public static final List<String> DEMO_COLUMNS =
      List.of("PATIENT", "GENDER", "AGE_AT_CXR", "PRIMARY_RACE", "ETHNICITY");

  public static int labelIndex(String label) {
    int i = LABELS.indexOf(label);
    if (i < 0) {
      throw new IllegalArgumentException(
          "unknown label '" + label + "'; expected one of " + LABELS);
    }
    return i;
  }

  /** {@code patient00001} for index 1. */
  public static String patientId(int index) {
    String digits = Integer.toString(index);
    return digits.length() >= 5 ? "patient" + digits
        : "patient" + "00000".substring(digits.length()) + digits;
  }

  /** {@code CheXpert-v1.0/train/patient00001/study1/view1_frontal.jpg}. */
  public static String imagePath(int patient, int study, int view, boolean frontal) {
    return ROOT + "/train/" + patientId(patient) + "/study" + study + "/view" + view
        + (frontal ? "_frontal.jpg" : "_lateral.jpg");
  }
}
