package org.chexaudit.core.chexclusion;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.chexaudit.schemas.CohortRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CheXclusion dataset adapters, union and split on tiny hand-made files. */
class DatasetAdaptersTest {
  static final String CXP_HEADER = "Path,Sex,Age,Frontal/Lateral,AP/PA,No Finding,Enlarged Cardiomediastinum,Cardiomegaly,"
      + "Lung Opacity,Lung Lesion,Edema,Consolidation,Pneumonia,Atelectasis,Pneumothorax,Pleural Effusion,Pleural Other,"
      + "Fracture,Support Devices";

  static Path cxp(Path dir, String name, String... rows) throws Exception {
    List<String> lines = new ArrayList<>(List.of(CXP_HEADER));
    lines.addAll(List.of(rows));
    return Files.write(dir.resolve(name), lines);
  }

  @Test
  void chexpertTrainAndValidFrontalAndLateral(@TempDir Path dir) throws Exception {
    Path train = cxp(dir, "train.csv",
        "CheXpert-v1.0/train/patient00001/study1/view1_frontal.jpg,Female,68,Frontal,AP,1.0,,,,,,,,,,,,,1.0",
        "CheXpert-v1.0/train/patient00001/study1/view2_lateral.jpg,Female,68,Lateral,,,,-1.0,,,,,,,,1.0,,,",
        "CheXpert-v1.0/train/patient00002/study1/view1_frontal.jpg,Unknown,19,Frontal,PA,,,,,,,,,,,0.0,,,",
        "CheXpert-v1.0/train/patient00003/study1/view1_frontal.jpg,Male,80,Frontal,PA,,,,,,,,,,,2.0,,,");
    Path valid = cxp(dir, "valid.csv",
        "CheXpert-v1.0/valid/patient64541/study1/view1_frontal.jpg,Male,40,Frontal,AP,0.0,,,,,,,,,,,,,");
    AdapterResult r = ChexpertAdapter.create().read(List.of(train, valid));
    assertThat(r.records().size(), is(4));
    assertThat(r.deadLetters().size(), is(1)); // label 2.0
    assertThat(r.deadLetters().get(0).getReason(), containsString("Pleural Effusion"));
    CohortRecord first = r.records().get(0);
    assertThat(first.getPatientId(), is("1"));
    assertThat(first.getId(), is("patient00001_study1_view1_frontal"));
    assertThat(first.getAttributes(), is(Map.of("source", "CXP", "sex", "F", "age", "60-80", "view", "Frontal")));
    assertThat(first.getLabels().get(0), is(1f));
    assertThat(first.getLabels().get(13), is(1f));
    assertThat(first.getLabels().get(1), nullValue());
    CohortRecord lateral = r.records().get(1);
    assertThat(lateral.getFrontalLateral(), is("Lateral"));
    assertThat(lateral.getLabels().get(2), is(-1f));
    assertThat(lateral.getDisease(), is("Pleural Effusion"));
    CohortRecord unknownSex = r.records().get(2);
    assertThat(unknownSex.getAttributes().containsKey("sex"), is(false)); // Unknown is missing, not guessed
    assertThat(unknownSex.getAttributes().get("age"), is("0-20"));
    CohortRecord valid0 = r.records().get(3);
    assertThat(valid0.getPatientId(), is("64541"));
    assertThat(valid0.getRowIndex(), is(4L)); // train rows 0..3 (one dead), then valid
    assertThat(valid0.getAttributes().get("age"), is("40-60"));
  }

  @Test
  void mimicFirstRowPerSubjectAndMissingRaceInsurance(@TempDir Path dir) throws Exception {
    Path labels = Files.write(dir.resolve("mimic-cxr-2.0.0-chexpert.csv"), List.of(
        "subject_id,study_id,Atelectasis,Cardiomegaly,Consolidation,Edema,Enlarged Cardiomediastinum,Fracture,"
            + "Lung Lesion,Lung Opacity,No Finding,Pleural Effusion,Pleural Other,Pneumonia,Pneumothorax,Support Devices",
        "10000032,50414267,,,,,,,,1.0,,,,,,",
        "10000032,53189527,,1.0,,,,,,,,,,,,",
        "10000764,57375967,,,,,,,,,1.0,,,,,"));
    Path meta = Files.write(dir.resolve("mimic-cxr-metadata-detail.csv"), List.of(
        "subject_id,dicom_id,study_id,gender,age_decile,race,insurance,marital_status",
        "10000032,d1,50414267,F,50-60,WHITE,Medicaid,WIDOWED",
        "10000032,d2,53189527,F,60-70,BLACK/AFRICAN AMERICAN,Medicare,WIDOWED",
        "10000764,d3,57375967,M,>=90,UNABLE TO OBTAIN,Other,",
        "10000898,d4,50771383,M,20-30,UNKNOWN,,"));
    AdapterResult r = MimicAdapter.create().read(labels, meta);
    assertThat(r.records().size(), is(3));
    assertThat(r.deadLetters().size(), is(1)); // d4's study has no labels
    assertThat(r.deadLetters().get(0).getReason(), containsString("no labels"));
    CohortRecord d2 = r.records().get(1);
    // first row per subject: d2 takes d1's decile, race and insurance
    assertThat(d2.getAttributes(), is(Map.of("sex", "F", "age", "40-60", "race", "WHITE", "insurance", "Medicaid",
        "source", "MIMIC")));
    assertThat(d2.getPath(), is("files/p10/p10000032/s53189527/d2.jpg"));
    List<String> mimic = DatasetConfig.load().labels("mimic");
    assertThat(r.records().get(0).getLabels().get(mimic.indexOf("Airspace Opacity")), is(1f)); // from Lung Opacity
    assertThat(d2.getLabels().get(mimic.indexOf("Cardiomegaly")), is(1f));
    CohortRecord d3 = r.records().get(2);
    assertThat(d3.getAttributes(), is(Map.of("sex", "M", "age", "80-", "insurance", "Other", "source", "MIMIC")));
    assertThat(d3.getRace(), nullValue());
  }

  static Path nih(Path dir) throws Exception {
    return Files.write(dir.resolve("Data_Entry_2017.csv"), List.of(
        "Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,View Position",
        "00000001_000.png,Cardiomegaly,0,1,58,M,PA",
        "00000001_001.png,Cardiomegaly|Emphysema,1,1,58,M,PA",
        "00000002_000.png,No Finding,0,2,81,F,PA",
        "00000003_000.png,Effusion|Pleural_Thickening,0,3,9,F,AP",
        "00000004_000.png,,0,4,30,F,AP"));
  }

  @Test
  void nihFindingLabelsSplitOnBar(@TempDir Path dir) throws Exception {
    AdapterResult r = NihAdapter.create().read(nih(dir));
    assertThat(r.records().size(), is(4));
    assertThat(r.deadLetters().get(0).getReason(), containsString("Finding Labels"));
    List<String> labels = DatasetConfig.load().labels("nih");
    CohortRecord second = r.records().get(1);
    assertThat(second.getLabels().get(labels.indexOf("Cardiomegaly")), is(1f));
    assertThat(second.getLabels().get(labels.indexOf("Emphysema")), is(1f));
    assertThat(second.getLabels().get(labels.indexOf("Edema")), is(0f));
    assertThat(second.getPatientId(), is("1"));
    assertThat(second.getAttributes().get("age"), is("40-60"));
    CohortRecord noFinding = r.records().get(2);
    assertThat(noFinding.getDisease(), is("No Finding"));
    assertThat(noFinding.getAttributes().get("age"), is("80-"));
    assertThat(r.records().get(3).getDisease(), is("Effusion"));
    assertThat(r.records().get(3).getPath(), is("images/00000003_000.png"));
  }

  @Test
  void unionOnTheEightHarmonisedLabelsKeepsSource(@TempDir Path dir) throws Exception {
    DatasetConfig c = DatasetConfig.load();
    List<String> nihPlus = new ArrayList<>(c.labels("nih"));
    nihPlus.add("No Finding");
    AdapterResult nih = NihAdapter.create().withLabels(nihPlus).read(nih(dir));
    AdapterResult cxp = ChexpertAdapter.create().read(List.of(cxp(dir, "train.csv",
        "CheXpert-v1.0/train/patient00001/study1/view1_frontal.jpg,Female,68,Frontal,AP,,,,,,,,,,,1.0,,,")));
    List<CohortRecord> all = MultiSource.chexclusion()
        .add("CXP", c.labels("cxp"), cxp.records())
        .add("NIH", nihPlus, nih.records()).records();
    List<String> labels = c.labels("all");
    assertThat(labels.size(), is(8));
    CohortRecord fromCxp = all.get(0);
    assertThat(fromCxp.getId(), is("CXP/patient00001_study1_view1_frontal"));
    assertThat(fromCxp.getPatientId(), is("CXP/1"));
    assertThat(fromCxp.getLabels().get(labels.indexOf("Effusion")), is(1f)); // <- Pleural Effusion
    assertThat(fromCxp.getAttributes().get("source"), is("CXP"));
    CohortRecord nf = all.get(3);
    assertThat(nf.getAttributes().get("source"), is("NIH"));
    assertThat(nf.getLabels().get(labels.indexOf("No Finding")), is(1f));
    assertThat(nf.getLabels().size(), is(8));
  }

  @Test
  void eightyTenTenSplitByPatient() {
    List<CohortRecord> records = new ArrayList<>();
    for (int p = 0; p < 1000; p++) {
      for (int k = 0; k < 2; k++) {
        records.add(CohortRecord.newBuilder().setId(p + "_" + k).setRowIndex(2L * p + k).setPatientId("p" + p)
            .setPath("x").setPathPreproc("x").setLabels(List.of()).setDisease("Other").setDiseaseLabel(2).build());
      }
    }
    List<CohortRecord> split = ChexclusionSplit.assign(records, 7);
    Map<String, Set<String>> byPatient = split.stream().collect(Collectors.groupingBy(
        r -> r.getPatientId(), Collectors.mapping(r -> r.getSplit(), Collectors.toSet())));
    assertThat(byPatient.values().stream().allMatch(s -> s.size() == 1), is(true));
    Map<String, Long> counts = split.stream().collect(Collectors.groupingBy(CohortRecord::getSplit, Collectors.counting()));
    assertThat(counts, is(Map.of("train", 1600L, "validate", 200L, "test", 200L)));
    assertThat(ChexclusionSplit.assign(records, 7), is(split));
  }

  @Test
  void missingColumnIsNamed(@TempDir Path dir) throws Exception {
    Path bad = Files.write(dir.resolve("Data_Entry_2017.csv"), List.of("Image Index,Patient ID", "a.png,1"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NihAdapter.create().read(bad));
    assertThat(e.getMessage(), containsString("Finding Labels"));
  }
}
