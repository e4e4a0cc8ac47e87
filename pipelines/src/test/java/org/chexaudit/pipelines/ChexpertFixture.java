package org.chexaudit.pipelines;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * A hand-made CheXpert-format fixture holding every raw race and ethnicity string of seeds-spec A2,
 * with counts worked out by hand (see {@link CohortPipelineTest}).
 *
 * <p>Patients: P01-P11 one per race string that maps to White/Black/Asian (ethnicity allowed);
 * R01-R13 one per race string that maps to nothing; E01-E05 White with each dropped ethnicity; M01 in
 * the CSV only; C01 listed twice with different race; D01 listed twice identically; X01 in the sheet
 * only. Each CSV patient has a frontal AP and a lateral image; P01 also has a frontal "LL" image. Three
 * rows are bad: non-numeric age, label 2.0, a path without study and view.
 */
final class ChexpertFixture {
  static final String[] KEPT_RACES = {
      "Black or African American", "Black, non-Hispanic", "Black, Hispanic",
      "White", "White, non-Hispanic", "White, Hispanic", "White or Caucasian",
      "Asian", "Asian, non-Hispanic", "Asian, Hispanic", "Asian - Historical Conv"};
  static final String[] DROPPED_RACES = {
      "Other", "Other, Hispanic", "Other, non-Hispanic", "Unknown", "Race and Ethnicity Unknown",
      "Patient Refused", "Native Hawaiian or Other Pacific Islander", "Pacific Islander, Hispanic",
      "Pacific Islander, non-Hispanic", "American Indian or Alaska Native", "Native American, Hispanic",
      "Native American, non-Hispanic", null};
  static final String[] DROPPED_ETHNICITIES = {"Hispanic/Latino", "Hispanic", "Unknown", "Patient Refused", null};
  static final String[] KEPT_ETHNICITIES = {"Non-Hispanic/Non-Latino", "Not Hispanic"};

  static final String HEADER =
      "Path,Sex,Age,Frontal/Lateral,AP/PA,No Finding,Enlarged Cardiomediastinum,Cardiomegaly,Lung Opacity,"
          + "Lung Lesion,Edema,Consolidation,Pneumonia,Atelectasis,Pneumothorax,Pleural Effusion,Pleural Other,"
          + "Fracture,Support Devices";

  final Path trainCsv;
  final Path demoXlsx;
  /** 0-based CSV row index of each patient's frontal AP image, in CSV order. */
  final List<Long> frontalRows = new ArrayList<>();
  final List<String> csvPatients = new ArrayList<>();

  private ChexpertFixture(Path trainCsv, Path demoXlsx) {
    this.trainCsv = trainCsv;
    this.demoXlsx = demoXlsx;
  }

  static ChexpertFixture write(Path dir) throws IOException {
    Path root = dir.resolve("CheXpert-v1.0");
    Files.createDirectories(root);
    ChexpertFixture f = new ChexpertFixture(root.resolve("train.csv"), dir.resolve("CHEXPERT DEMO.xlsx"));
    List<String> csvPatients = new ArrayList<>();
    for (int i = 1; i <= 11; i++) csvPatients.add(String.format("patient%05d", i));        // P01-P11
    for (int i = 1; i <= 13; i++) csvPatients.add(String.format("patient%05d", 100 + i));  // R01-R13
    for (int i = 1; i <= 5; i++) csvPatients.add(String.format("patient%05d", 200 + i));   // E01-E05
    csvPatients.add("patient00301");  // M01, no demographics
    csvPatients.add("patient00401");  // C01, conflicting
    csvPatients.add("patient00501");  // D01, duplicate identical

    StringBuilder csv = new StringBuilder(HEADER).append('\n');
    long row = 0;
    for (int i = 0; i < csvPatients.size(); i++) {
      String p = csvPatients.get(i);
      String sex = i % 2 == 0 ? "Male" : "Female";
      int age = 20 + 3 * i;
      // frontal AP: Pleural Effusion positive for even i, No Finding positive for i % 3 == 0
      String nf = i % 3 == 0 ? "1.0" : "";
      String pe = i % 2 == 0 ? "1.0" : (i % 5 == 0 ? "-1.0" : "0.0");
      csv.append(imageRow(p, 1, "view1_frontal.jpg", sex, age, "Frontal", "AP", nf, pe));
      f.frontalRows.add(row++);
      csv.append(imageRow(p, 1, "view2_lateral.jpg", sex, age, "Lateral", "", "", "0.0"));
      row++;
      if (i == 0) {
        csv.append(imageRow(p, 2, "view1_frontal.jpg", sex, age, "Frontal", "LL", "", ""));
        row++;
      }
    }
    csv.append(imageRow("patient00601", 1, "view1_frontal.jpg", "Male", -1, "Frontal", "AP", "", "")
        .replace(",-1,Frontal", ",abc,Frontal"));
    csv.append(imageRow("patient00602", 1, "view1_frontal.jpg", "Male", 50, "Frontal", "AP", "2.0", ""));
    csv.append("CheXpert-v1.0/train/patient00603,Male,50,Frontal,AP,,,,,,,,,,,,,,\n");
    Files.writeString(f.trainCsv, csv.toString(), StandardCharsets.UTF_8);
    f.csvPatients.addAll(csvPatients);

    try (XSSFWorkbook wb = new XSSFWorkbook()) {
      XSSFSheet s = wb.createSheet("Sheet1");
      int r = 0;
      row(s, r++, "PATIENT", "GENDER", "AGE_AT_CXR", "PRIMARY_RACE", "ETHNICITY");
      // X01 first: in the sheet only
      row(s, r++, "patient00901", "Male", "40", "White", "Not Hispanic");
      for (int i = 0; i < 11; i++) {
        row(s, r++, csvPatients.get(i), "Male", "40", KEPT_RACES[i], KEPT_ETHNICITIES[i % 2]);
      }
      for (int i = 0; i < 13; i++) {
        row(s, r++, csvPatients.get(11 + i), "Male", "40", DROPPED_RACES[i], "Not Hispanic");
      }
      for (int i = 0; i < 5; i++) {
        row(s, r++, csvPatients.get(24 + i), "Female", "40", "White", DROPPED_ETHNICITIES[i]);
      }
      row(s, r++, "patient00401", "Male", "40", "White", "Not Hispanic");
      row(s, r++, "patient00401", "Male", "40", "Asian", "Not Hispanic");
      row(s, r++, "patient00501", "Female", "40", "White", "Non-Hispanic/Non-Latino");
      row(s, r++, "patient00501", "Female", "40", "White", "Non-Hispanic/Non-Latino");
      try (OutputStream out = Files.newOutputStream(f.demoXlsx)) {
        wb.write(out);
      }
    }
    return f;
  }

  private static String imageRow(
      String patient, int study, String view, String sex, int age, String fl, String appa, String nf, String pe) {
    String[] labels = new String[14];
    java.util.Arrays.fill(labels, "");
    labels[0] = nf;
    labels[10] = pe;
    labels[2] = "-1.0";
    return String.join(",", "CheXpert-v1.0/train/" + patient + "/study" + study + "/" + view, sex,
        Integer.toString(age), fl, appa) + "," + String.join(",", labels) + "\n";
  }

  private static void row(XSSFSheet s, int r, String... values) {
    var row = s.createRow(r);
    for (int c = 0; c < values.length; c++) {
      if (values[c] != null) {
        row.createCell(c).setCellValue(values[c]);
      }
    }
  }
}
