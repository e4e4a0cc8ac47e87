package org.chexaudit.pipelines;

import org.chexaudit.pipelines.stage.AvroFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.Embedding;
import org.chexaudit.schemas.Prediction;

/** Small synthetic cohort, predictions and embeddings for the resample and explore commands. */
final class ExploreFixture {
  static final String[] RACES = {"White", "Asian", "Black"};
  static final String[] DISEASES = {"No Finding", "Pleural Effusion", "Other"};

  private ExploreFixture() {}

  static CohortRecord record(String id, long row, String split, int race, String sex, int age, int disease) {
    List<Float> labels = new ArrayList<>(Collections.nCopies(14, (Float) null));
    return CohortRecord.newBuilder().setId(id).setRowIndex(row).setPatientId("p" + id).setDemoRow(row)
        .setPath("CheXpert-v1.0/train/" + id + ".jpg").setPathPreproc("preproc_224x224/" + id + ".jpg")
        .setSex(sex).setAge(age).setRace(RACES[race]).setRaceLabel(race).setSexLabel(sex.equals("Male") ? 0 : 1)
        .setLabels(labels).setSplit(split).setDisease(DISEASES[disease]).setDiseaseLabel(disease)
        .setAttributes(Map.of()).build();
  }

  /**
   * A cohort whose test split has {@code perRace[r]} rows of race r; disease prevalence and age depend
   * on race so that resampling has something to balance. 20 train rows precede the test rows.
   */
  static List<CohortRecord> cohort(int[] perRace, long seed) {
    Random rng = new Random(seed);
    List<CohortRecord> rows = new ArrayList<>();
    long row = 0;
    for (int i = 0; i < 20; i++, row++) {
      rows.add(record("train" + i, row, "train", i % 3, i % 2 == 0 ? "Male" : "Female", 40 + i, i % 3));
    }
    for (int r = 0; r < 3; r++) {
      for (int i = 0; i < perRace[r]; i++, row++) {
        double u = rng.nextDouble();
        double effusion = 0.2 + 0.2 * r;
        int disease = u < 0.1 ? 0 : u < 0.1 + effusion ? 1 : 2;
        int age = 18 + rng.nextInt(60) + 5 * r;
        rows.add(record(RACES[r].toLowerCase() + i, row, "test", r, rng.nextBoolean() ? "Male" : "Female", age, disease));
      }
    }
    return rows;
  }

  static void writeCohort(Path stageDir, List<CohortRecord> rows) throws Exception {
    Files.createDirectories(stageDir.resolve("cohort"));
    AvroFiles.write(stageDir.resolve("cohort/part-00000.avro"), CohortRecord.class, rows);
  }

  /**
   * A predict output for the test rows: 8-d embeddings with per-dimension spreads 3, 2.5, ..., and
   * 14 logits, all independent of the subject except that race {@code shiftedRace} has its embeddings
   * moved by {@code shift} along dimension 0. Every test id appears {@code copies} times (a resampled set).
   */
  static void writePredictOutput(Path stageDir, List<CohortRecord> cohort, int shiftedRace, double shift,
      int copies, long seed) throws Exception {
    Random rng = new Random(seed);
    List<Embedding> embeddings = new ArrayList<>();
    List<Prediction> predictions = new ArrayList<>();
    for (CohortRecord r : cohort) {
      if (!"test".equals(r.getSplit())) {
        continue;
      }
      List<Float> logits = new ArrayList<>();
      for (int k = 0; k < 14; k++) {
        logits.add((float) rng.nextGaussian());
      }
      List<Float> values = new ArrayList<>();
      for (int j = 0; j < 8; j++) {
        double v = (3.0 - 0.35 * j) * rng.nextGaussian();
        if (j == 0 && r.getRaceLabel() == shiftedRace) {
          v += shift;
        }
        values.add((float) v);
      }
      for (int c = 0; c < copies; c++) {
        embeddings.add(Embedding.newBuilder().setId(r.getId()).setPatientId(r.getPatientId()).setSplit("test")
            .setValues(values).build());
        predictions.add(Prediction.newBuilder().setId(r.getId()).setPatientId(r.getPatientId()).setSplit("test")
            .setTask("disease").setProbabilities(logits).setLogits(logits).setTargets(List.of()).build());
      }
    }
    Files.createDirectories(stageDir.resolve("embeddings"));
    Files.createDirectories(stageDir.resolve("predictions"));
    AvroFiles.write(stageDir.resolve("embeddings/part-00000.avro"), Embedding.class, embeddings);
    AvroFiles.write(stageDir.resolve("predictions/part-00000.avro"), Prediction.class, predictions);
  }
}
