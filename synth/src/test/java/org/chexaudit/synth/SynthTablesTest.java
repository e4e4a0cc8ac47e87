package org.chexaudit.synth;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.oneOf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthTablesTest {
  private static final Pattern PATH = Pattern.compile(
      "CheXpert-v1\\.0/train/patient(\\d{5})/study(\\d+)/view(\\d+)_(frontal|lateral)\\.jpg");

  @TempDir Path dir;

  private static SynthGenerator.TableCounts write(SynthConfig c, Path root) throws IOException {
    return new SynthGenerator(c).writeTables(root);
  }

  private static List<String[]> csvRows(Path root) throws IOException {
    List<String> lines = Files.readAllLines(root.resolve(ChexpertFormat.TRAIN_CSV));
    List<String[]> rows = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) {
      rows.add(l.split(",", -1));
    }
    return rows;
  }

  @Test
  void trainCsvHasCheXpertHeaderPathsAndCellValues() throws IOException {
    write(SynthConfig.builder().patients(300).build(), dir);
    List<String> lines = Files.readAllLines(dir.resolve("CheXpert-v1.0/train.csv"));
    assertThat(lines.get(0), equalTo("Path,Sex,Age,Frontal/Lateral,AP/PA,No Finding,Enlarged"
        + " Cardiomediastinum,Cardiomegaly,Lung Opacity,Lung Lesion,Edema,Consolidation,Pneumonia,"
        + "Atelectasis,Pneumothorax,Pleural Effusion,Pleural Other,Fracture,Support Devices"));
    Set<String> sexes = new HashSet<>();
    Set<String> views = new HashSet<>();
    Set<String> projections = new HashSet<>();
    Set<String> labelCells = new HashSet<>();
    Set<String> noFinding = new HashSet<>();
    for (String[] r : csvRows(dir)) {
      assertThat(r.length, is(19));
      var m = PATH.matcher(r[0]);
      assertThat(r[0], m.matches(), is(true));
      assertThat(r[3], equalTo(m.group(4).equals("frontal") ? "Frontal" : "Lateral"));
      Integer.parseInt(r[2]);
      sexes.add(r[1]);
      views.add(r[3]);
      projections.add(r[3] + ":" + r[4]);
      labelCells.addAll(Arrays.asList(r).subList(6, 19));
      noFinding.add(r[5]);
    }
    assertThat(sexes, everyItem(oneOf("Male", "Female", "Unknown")));
    assertThat(sexes, hasItems("Male", "Female"));
    assertThat(views, hasItems("Frontal", "Lateral"));
    assertThat(projections, hasItems("Frontal:AP", "Frontal:PA", "Lateral:"));
    assertThat(labelCells, everyItem(oneOf("1.0", "0.0", "-1.0", "")));
    assertThat(labelCells, hasItems("1.0", "0.0", "-1.0", ""));
    assertThat(noFinding, everyItem(oneOf("1.0", "")));
  }

  @Test
  void patientRowsAreContiguousWithSeveralStudiesAndViews() throws IOException {
    write(SynthConfig.builder().patients(200).build(), dir);
    List<String> seenPatients = new ArrayList<>();
    Map<String, Set<String>> studies = new HashMap<>();
    int multiView = 0;
    Map<String, Integer> viewsPerStudy = new HashMap<>();
    for (String[] r : csvRows(dir)) {
      var m = PATH.matcher(r[0]);
      m.matches();
      String p = m.group(1);
      if (seenPatients.isEmpty() || !seenPatients.get(seenPatients.size() - 1).equals(p)) {
        assertThat("patient " + p + " rows are not contiguous", seenPatients.contains(p), is(false));
        seenPatients.add(p);
      }
      studies.computeIfAbsent(p, k -> new HashSet<>()).add(m.group(2));
      viewsPerStudy.merge(p + "/" + m.group(2), 1, Integer::sum);
    }
    for (int v : viewsPerStudy.values()) {
      if (v > 1) {
        multiView++;
      }
    }
    long multiStudy = studies.values().stream().filter(s -> s.size() > 1).count();
    assertThat(seenPatients.size(), is(200));
    assertThat(multiStudy, greaterThan(50L));
    assertThat(multiView, greaterThan(20));
  }

  @Test
  void spreadsheetUsesEveryRawRaceAndEthnicityString() throws IOException {
    SynthGenerator.TableCounts counts = write(SynthConfig.defaults(), dir);
    List<String> header = new ArrayList<>();
    Set<String> races = new LinkedHashSet<>();
    Set<String> ethnicities = new LinkedHashSet<>();
    Set<String> demoPatients = new HashSet<>();
    Map<String, String> gender = new HashMap<>();
    try (InputStream in = Files.newInputStream(dir.resolve("CHEXPERT DEMO.xlsx"));
        XSSFWorkbook wb = new XSSFWorkbook(in)) {
      Sheet sheet = wb.getSheetAt(0);
      for (Cell c : sheet.getRow(0)) {
        header.add(c.getStringCellValue());
      }
      for (int i = 1; i <= sheet.getLastRowNum(); i++) {
        org.apache.poi.ss.usermodel.Row row = sheet.getRow(i);
        demoPatients.add(row.getCell(0).getStringCellValue());
        gender.put(row.getCell(0).getStringCellValue(), row.getCell(1).getStringCellValue());
        assertThat(row.getCell(2).getNumericCellValue(), both(greaterThan(0.0)).and(lessThan(91.0)));
        races.add(row.getCell(3) == null ? null : row.getCell(3).getStringCellValue());
        ethnicities.add(row.getCell(4) == null ? null : row.getCell(4).getStringCellValue());
      }
      assertThat(sheet.getLastRowNum(), is(counts.demoRows()));
    }
    assertThat(header, contains("PATIENT", "GENDER", "AGE_AT_CXR", "PRIMARY_RACE", "ETHNICITY"));
    assertThat(races, equalTo(new HashSet<>(DemographicStrings.RACES)));
    assertThat(ethnicities, equalTo(new HashSet<>(DemographicStrings.ETHNICITIES)));

    Map<String, String> sexInCsv = new HashMap<>();
    for (String[] r : csvRows(dir)) {
      sexInCsv.put(r[0].split("/")[2], r[1]);
    }
    Set<String> notInDemo = new HashSet<>(sexInCsv.keySet());
    notInDemo.removeAll(demoPatients);
    Set<String> notInCsv = new HashSet<>(demoPatients);
    notInCsv.removeAll(sexInCsv.keySet());
    assertThat(notInDemo, not(empty()));
    assertThat(notInCsv, not(empty()));
    assertThat(notInDemo.size(), is(counts.missingFromDemo()));
    assertThat(notInCsv.size(), is(counts.demoOnlyPatients()));
    long agree = sexInCsv.entrySet().stream()
        .filter(e -> e.getValue().equals(gender.get(e.getKey()))).count();
    assertThat((double) agree / (sexInCsv.size() - notInDemo.size()), greaterThan(0.97));
  }

  @Test
  void sameSeedGivesIdenticalBytesAndAnotherSeedDifferentFiles() throws IOException {
    SynthConfig c = SynthConfig.builder().patients(150).build();
    write(c, dir.resolve("a"));
    write(c, dir.resolve("b"));
    write(c.toBuilder().seed(43).build(), dir.resolve("c"));
    for (String f : List.of(ChexpertFormat.TRAIN_CSV, ChexpertFormat.DEMO_XLSX)) {
      byte[] a = Files.readAllBytes(dir.resolve("a").resolve(f));
      assertThat(f, Files.readAllBytes(dir.resolve("b").resolve(f)), equalTo(a));
      assertThat(f, Arrays.equals(Files.readAllBytes(dir.resolve("c").resolve(f)), a), is(false));
    }
  }

  @Test
  void exactRowAndSpreadsheetTotalsAreMet() throws IOException {
    SynthGenerator.TableCounts counts = write(
        SynthConfig.builder().patients(300).rows(1234).demoPatients(310).build(), dir);
    assertThat(counts.trainRows(), is(1234L));
    assertThat(csvRows(dir).size(), is(1234));
    assertThat(counts.demoRows(), is(310));
  }

  @Test
  void prevalenceShiftRaisesTheLabelInItsGroupOnly() {
    SynthConfig base = SynthConfig.builder().patients(4000).build();
    SynthConfig shifted = base.toBuilder()
        .prevalenceShift(new PrevalenceShift("Pleural Effusion", "Black", 4.0)).build();
    double[] before = effusionRate(base);
    double[] after = effusionRate(shifted);
    // [White, Black]: Black's rate rises a lot, White's is untouched (same streams).
    assertThat(after[0], equalTo(before[0]));
    assertThat(after[1] - before[1], greaterThan(0.15));
  }

  private static double[] effusionRate(SynthConfig c) {
    PatientGenerator g = new PatientGenerator(c, CohortPlan.of(c));
    double[] pos = new double[2];
    double[] n = new double[2];
    for (int i = 1; i <= c.patients(); i++) {
      Patient p = g.patient(i);
      int k = p.raceGroup() == RaceGroup.WHITE ? 0 : p.raceGroup() == RaceGroup.BLACK ? 1 : -1;
      if (k < 0) {
        continue;
      }
      for (Study s : p.studies()) {
        n[k]++;
        if (s.label("Pleural Effusion") == LabelValue.POSITIVE) {
          pos[k]++;
        }
      }
    }
    return new double[] {pos[0] / n[0], pos[1] / n[1]};
  }

  @Test
  void badConfigurationNamesTheField() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> SynthConfig.builder().raceSignal(-1).build());
    assertThat(e.getMessage(), equalTo("raceSignal must be finite and >= 0, got -1.0"));
    e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> SynthConfig.builder().findingStrength("No Finding", 1));
    assertThat(e.getMessage().startsWith("label 'No Finding' has no planted pattern"), is(true));
  }
}
