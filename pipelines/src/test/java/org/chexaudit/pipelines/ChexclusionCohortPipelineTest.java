package org.chexaudit.pipelines;

import org.chexaudit.pipelines.stage.StageOutput;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.options.ChexclusionCohortOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** chexclusion-cohort on one tiny file of each dataset, as the union. */
class ChexclusionCohortPipelineTest {
  static void writeInputs(Path dir) throws Exception {
    Path cxp = Files.createDirectories(dir.resolve("CheXpert-v1.0"));
    String header = "Path,Sex,Age,Frontal/Lateral,AP/PA,No Finding,Enlarged Cardiomediastinum,Cardiomegaly,Lung Opacity,"
        + "Lung Lesion,Edema,Consolidation,Pneumonia,Atelectasis,Pneumothorax,Pleural Effusion,Pleural Other,Fracture,"
        + "Support Devices";
    Files.write(cxp.resolve("train.csv"), List.of(header,
        "CheXpert-v1.0/train/patient00001/study1/view1_frontal.jpg,Female,68,Frontal,AP,1.0,,,,,,,,,,,,,",
        "CheXpert-v1.0/train/patient00001/study1/view2_lateral.jpg,Female,68,Lateral,,,,,,,,,,,,1.0,,,"));
    Files.write(cxp.resolve("valid.csv"), List.of(header,
        "CheXpert-v1.0/valid/patient64541/study1/view1_frontal.jpg,Male,40,Frontal,AP,0.0,,,,,,,,,,,,,"));
    Files.write(dir.resolve("chexpert.csv"), List.of(
        "subject_id,study_id,Atelectasis,Cardiomegaly,Consolidation,Edema,Enlarged Cardiomediastinum,Fracture,"
            + "Lung Lesion,Lung Opacity,No Finding,Pleural Effusion,Pleural Other,Pneumonia,Pneumothorax,Support Devices",
        "10000032,50414267,,,,,,,,1.0,,,,,,"));
    Files.write(dir.resolve("meta.csv"), List.of("subject_id,dicom_id,study_id,gender,age_decile,race,insurance",
        "10000032,d1,50414267,F,50-60,WHITE,Medicaid", "10000033,d9,1,M,50-60,WHITE,Medicaid"));
    Files.write(dir.resolve("Data_Entry_2017.csv"), List.of(
        "Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender",
        "00000001_000.png,Cardiomegaly,0,1,58,M", "00000002_000.png,No Finding,0,2,81,F"));
  }

  static ChexclusionCohortOptions options(Path dir, String dataset) {
    return PipelineOptionsFactory.fromArgs("--dataset=" + dataset, "--chexpertDir=" + dir.resolve("CheXpert-v1.0"),
        "--mimicLabels=" + dir.resolve("chexpert.csv"), "--mimicMetadata=" + dir.resolve("meta.csv"),
        "--nihDataEntry=" + dir.resolve("Data_Entry_2017.csv"), "--output=" + dir.resolve("out"))
        .withValidation().as(ChexclusionCohortOptions.class);
  }

  @Test
  @SuppressWarnings("unchecked")
  void unionOfThreeSources(@TempDir Path dir) throws Exception {
    writeInputs(dir);
    ChexclusionCohortPipeline.run(options(dir, "all"));
    Path out = dir.resolve("out");
    assertThat(Files.readAllLines(out.resolve("labels.txt")).size(), is(8));
    Map<String, Object> summary = new ObjectMapper().readValue(out.resolve("summary.json").toFile(), Map.class);
    assertThat(summary.get("images"), is(6));
    assertThat(summary.get("dead_letters"), is(1)); // MIMIC d9 has no labels
    Map<String, Map<String, Integer>> byAttribute = (Map<String, Map<String, Integer>>) summary.get("by_attribute");
    assertThat(byAttribute.get("source"), is(Map.of("CXP", 3, "MIMIC", 1, "NIH", 2)));
    assertThat(byAttribute.get("insurance"), is(Map.of("Medicaid", 1)));
    assertThat(Files.list(out.resolve("cohort")).count() > 0, is(true));
    List<String> groups = Files.readAllLines(out.resolve("groups.csv"));
    assertThat(groups.get(0), is("id,age,insurance,race,sex,source,view"));
    assertThat(groups.contains("MIMIC/d1,40-60,Medicaid,WHITE,F,MIMIC,"), is(true));
    assertThat(Files.exists(out.resolve(StageOutput.MANIFEST)), is(true));
  }

  @Test
  void missingInputOptionIsNamed(@TempDir Path dir) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ChexclusionCohortPipeline.run(PipelineOptionsFactory.fromArgs("--dataset=nih", "--output=" + dir.resolve("o"))
            .withValidation().as(ChexclusionCohortOptions.class)));
    assertThat(e.getMessage(), containsString("--nihDataEntry"));
  }
}
