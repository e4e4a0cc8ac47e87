package org.chexaudit.pipelines;

import org.chexaudit.pipelines.MetricsReport;
import org.chexaudit.pipelines.stage.StageOutput;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.transforms.metrics.ReadScoredRows;
import org.chexaudit.transforms.metrics.ScoredRowColumns;
import org.chexaudit.transforms.metrics.UnbatchScoredRows;
import org.chexaudit.schemas.SubgroupMetric;
import org.chexaudit.pipelines.options.MetricsOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics command on the spec's E2 vectors written as a CSV. */
class MetricsPipelineTest {
  static final int[] Y = {0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0};
  static final String[] S = "0.10 0.40 0.35 0.80 0.20 0.90 0.30 0.60 0.70 0.05 0.55 0.15 0.45 0.65 0.25 0.50 0.12 0.95 0.33 0.60".split(" ");
  static final String[] RACE = "W W A B W W A W B W W A B W W W B W A W".split(" ");

  static Path writePredictions(Path dir) throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add("id,patient,class_0,target_0,race,sex");
    for (int i = 0; i < Y.length; i++) {
      lines.add("img" + i + ",p" + (i / 2) + "," + S[i] + "," + Y[i] + "," + RACE[i] + "," + (i % 2 == 0 ? "Female" : "Male"));
    }
    Path f = dir.resolve("preds.csv");
    Files.write(f, lines);
    return f;
  }

  static MetricsOptions options(Path preds, Path out, String... extra) {
    List<String> args = new ArrayList<>(List.of("--predictions=" + preds, "--scoreColumns=class_0",
        "--targetColumns=target_0", "--groupColumns=race,sex,sex*race", "--inSampleThreshold=true", "--output=" + out));
    for (String e : extra) {
      args.removeIf(a -> a.startsWith(e.substring(0, e.indexOf('=') + 1)));
      args.add(e);
    }
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).withValidation().as(MetricsOptions.class);
  }

  @Test
  void writesGoldenMetricsCsvWithoutIntervals(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    MetricsPipeline.run(options(writePredictions(dir), out, "--bootstrap=0"));
    List<String> lines = Files.readAllLines(out.resolve("metrics.csv"));
    assertThat(lines.get(0), is(MetricsReport.METRICS_HEADER));
    assertThat(lines.get(1), is("class_0,all,all,20,7,13,0.9230769230769231,0.6,0.7142857142857143,0.15384615384615385,,,,,,"));
    assertThat(lines, hasItem("class_0,race,W,12,4,8,0.9375,0.6,0.75,0.25,,,,,,"));
    assertThat(lines, hasItem("class_0,race,A,4,1,3,1.0,0.6,0.0,0.0,,,,,,"));
    assertThat(String.join("\n", lines), containsString("class_0,sex*race,Female*W,"));
    List<String> disparity = Files.readAllLines(out.resolve("disparity.csv"));
    assertThat(disparity.get(0), is(MetricsReport.DISPARITY_HEADER));
    assertThat(disparity, hasItem("class_0,race,A,0.0,-0.75,0.14285714285714285"));
    assertThat(Files.exists(out.resolve("roc_class_0.png")), is(true));
    assertThat(Files.exists(out.resolve("tpr_gap_race.png")), is(true));
    assertThat(Files.exists(out.resolve("metrics.avro")), is(true));
    assertThat(Files.exists(out.resolve(StageOutput.MANIFEST)), is(true));
    ManifestOptionsTest.assertRecordsEveryOption(out, MetricsOptions.class);
  }

  @Test
  void labelNamesReplaceScoreColumnsWherePeopleReadThem(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    MetricsPipeline.run(options(writePredictions(dir), out, "--bootstrap=0", "--labelNames=Pleural Effusion"));
    List<String> lines = Files.readAllLines(out.resolve("metrics.csv"));
    assertThat(lines.get(1), is("Pleural Effusion,all,all,20,7,13,0.9230769230769231,0.6,0.7142857142857143,"
        + "0.15384615384615385,,,,,,"));
    assertThat(Files.readAllLines(out.resolve("disparity.csv")),
        hasItem("Pleural Effusion,race,A,0.0,-0.75,0.14285714285714285"));
    assertThat(Files.exists(out.resolve("roc_Pleural_Effusion.png")), is(true));
  }

  @Test
  void labelNamesMustNameEveryScoreColumn(@TempDir Path dir) throws Exception {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> MetricsPipeline.run(options(writePredictions(dir), dir.resolve("out"), "--labelNames=A,B")));
    assertThat(e.getMessage(), containsString("--labelNames names 2 labels [A, B] but --scoreColumns has 1"));
  }

  @Test
  void inSampleThresholdIsRefusedUnlessAccepted(@TempDir Path dir) throws Exception {
    Path preds = writePredictions(dir);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetricsPipeline.run(
        options(preds, dir.resolve("refused"), "--bootstrap=0", "--thresholdRule=maxf1", "--inSampleThreshold=false")));
    assertThat(e.getMessage(), containsString("--inSampleThreshold=true"));
    assertThat(e.getMessage(), containsString("maxf1:VALFILE"));
    assertThat(Files.exists(dir.resolve("refused")), is(false));
    // a fixed value is not chosen on the data
    MetricsPipeline.run(options(preds, dir.resolve("fixed"), "--bootstrap=0", "--thresholdRule=value:0.5",
        "--inSampleThreshold=false"));
    assertThat(Files.readString(dir.resolve("fixed/notes.csv")), containsString("class_0,all,all,threshold chosen on fixed value"));
    Path out = dir.resolve("accepted");
    MetricsPipeline.run(options(preds, out, "--bootstrap=0", "--thresholdRule=maxf1"));
    assertThat(Files.readString(out.resolve(StageOutput.MANIFEST)), containsString("\"inSampleThreshold\" : true"));
    assertThat(Files.readString(out.resolve("notes.csv")),
        containsString("class_0,all,all,\"threshold chosen on the audited rows (in-sample, --inSampleThreshold=true)\""));
  }

  @Test
  void maxF1ThresholdComesFromTheValidationFile(@TempDir Path dir) throws Exception {
    // the E2 vectors as validation: max F1 0.8333 at 0.65 (spec E2); audited rows: E2 with every score
    // moved down by 0.1, so at 0.65 only the positives first scored .80, .90 and .95 pass: TP 3, FP 0
    Path val = writePredictions(Files.createDirectories(dir.resolve("val")));
    List<String> shifted = new ArrayList<>(List.of("id,patient,class_0,target_0,race,sex"));
    for (int i = 0; i < Y.length; i++) {
      shifted.add("img" + i + ",p" + (i / 2) + "," + (Double.parseDouble(S[i]) - 0.1) + "," + Y[i] + "," + RACE[i] + ","
          + (i % 2 == 0 ? "Female" : "Male"));
    }
    Path test = Files.write(dir.resolve("test.csv"), shifted);
    Path out = dir.resolve("out");
    MetricsPipeline.run(options(test, out, "--bootstrap=20", "--thresholdRule=maxf1:" + val,
        "--inSampleThreshold=false"));
    SubgroupMetric whole = null;
    try (DataFileReader<SubgroupMetric> in = new DataFileReader<>(out.resolve("metrics.avro").toFile(),
        new SpecificDatumReader<>(SubgroupMetric.class))) {
      for (SubgroupMetric m : in) {
        if (m.getAttribute().toString().equals("all")) {
          whole = m;
        }
      }
    }
    assertThat(whole.getThreshold(), is(0.65));
    assertThat(whole.getTruePositives(), is(3L));
    assertThat(whole.getFalsePositives(), is(0L));
    assertThat(Files.readString(out.resolve("notes.csv")), containsString("threshold chosen on validation file preds.csv"));
    assertThat(Files.exists(out.resolve("_validation_thresholds.bin")), is(false));

    // a validation file without positives has no max-F1 threshold: refused, nothing written
    Files.write(dir.resolve("noPositives.csv"), List.of("id,patient,class_0,target_0", "a,p,0.3,0", "b,p,0.6,0"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetricsPipeline.run(
        options(test, dir.resolve("refused"), "--bootstrap=0",
            "--thresholdRule=maxf1:" + dir.resolve("noPositives.csv"), "--inSampleThreshold=false")));
    assertThat(e.getMessage(), containsString("class_0 has no positives in the validation file"));
    assertThat(Files.exists(dir.resolve("refused")), is(false));
  }

  @Test
  void patientBootstrapFillsIntervals(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    MetricsPipeline.run(options(writePredictions(dir), out, "--bootstrap=50", "--bootstrapUnit=patient",
        "--patientColumn=patient", "--seed=3"));
    String all = Files.readAllLines(out.resolve("metrics.csv")).get(1);
    String[] f = all.split(",", -1);
    assertThat(f.length, is(16));
    assertThat(Double.parseDouble(f[10]) <= Double.parseDouble(f[6]), is(true));
    assertThat(Double.parseDouble(f[11]) >= Double.parseDouble(f[10]), is(true));
  }

  @Test
  void badTargetNamesFileColumnAndLine(@TempDir Path dir) throws Exception {
    Path preds = writePredictions(dir);
    List<String> lines = new ArrayList<>(Files.readAllLines(preds));
    lines.set(4, lines.get(4).replace(",1,B,", ",2,B,"));
    Files.write(preds, lines);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MetricsPipeline.run(options(preds, dir.resolve("out"), "--bootstrap=0")));
    assertThat(e.getMessage(), is(preds + " line 5, column 'target_0': target '2' is not 0 or 1"));
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> MetricsPipeline.run(options(preds, dir.resolve("out"), "--bootstrap=0", "--scoreColumns=class_9")));
    assertThat(missing.getMessage(), containsString("column 'class_9' (--scoreColumns) not found"));
  }

  @Test
  void groupsFileJoinedByIdGivesTheSameMetricsAsInlineColumns(@TempDir Path dir) throws Exception {
    Path preds = writePredictions(dir);
    List<String> lines = Files.readAllLines(preds);
    List<String> scoresOnly = new ArrayList<>();
    List<String> groups = new ArrayList<>();
    for (String l : lines) {
      String[] f = l.split(",");
      scoresOnly.add(String.join(",", f[0], f[1], f[2], f[3]));
      groups.add(String.join(",", f[0], f[4], f[5]));
    }
    java.util.Collections.reverse(groups.subList(1, groups.size())); // joined by id, not by position
    Path scoresFile = dir.resolve("scores.csv");
    Path groupsFile = dir.resolve("groups.csv");
    Files.write(scoresFile, scoresOnly);
    Files.write(groupsFile, groups);
    MetricsPipeline.run(options(preds, dir.resolve("inline"), "--bootstrap=0"));
    MetricsPipeline.run(options(scoresFile, dir.resolve("joined"), "--bootstrap=0", "--groupsFile=" + groupsFile));
    for (String f : List.of("metrics.csv", "disparity.csv", "calibration.csv")) {
      assertThat(f, Files.readAllLines(dir.resolve("joined").resolve(f)),
          is(Files.readAllLines(dir.resolve("inline").resolve(f))));
    }
  }

  @Test
  void csvReadInManySmallRangesGivesTheSameMetrics(@TempDir Path dir) throws Exception {
    // every byte range boundary lands somewhere in a line: each line must still be read exactly once
    Path preds = writePredictions(dir);
    org.apache.beam.sdk.Pipeline p = org.apache.beam.sdk.Pipeline.create();
    org.apache.beam.sdk.values.PCollection<Long> n = p
        .apply(org.chexaudit.transforms.metrics.ReadScoredRows.from(preds.toString(),
            org.chexaudit.transforms.metrics.ScoredRowColumns.of(List.of("class_0"), List.of("target_0"),
                List.of("race", "sex"), "id", null)).withRangeBytes(7))
        .apply(org.apache.beam.sdk.transforms.Count.globally());
    org.apache.beam.sdk.testing.PAssert.thatSingleton(n).isEqualTo((long) Y.length);
    p.run().waitUntilFinish();
  }

  /** Batches hold the rows the row-by-row read gives: CSV in many small ranges, and rows joined to a groups file. */
  @Test
  void batchesHoldTheRowsOfTheFile(@TempDir Path dir) throws Exception {
    Path preds = writePredictions(dir);
    Path groups = dir.resolve("groups.csv");
    List<String> groupLines = new ArrayList<>();
    for (String line : Files.readAllLines(preds)) {
      String[] f = line.split(",", -1);
      groupLines.add(String.join(",", f[0], f[4], f[5])); // id, race, sex
    }
    Files.write(groups, groupLines);
    ScoredRowColumns columns = ScoredRowColumns.of(List.of("class_0"), List.of("target_0"), List.of("race", "sex"),
        "id", null);
    List<ScoredRow> expected = new ArrayList<>();
    for (int i = 0; i < Y.length; i++) {
      expected.add(ScoredRow.of("img" + i, null, new double[] {Double.parseDouble(S[i])}, new int[] {Y[i]},
          new String[] {RACE[i], i % 2 == 0 ? "Female" : "Male"}));
    }
    Pipeline p = Pipeline.create();
    PAssert.that(p.apply("Inline", ReadScoredRows.from(preds.toString(), columns).withRangeBytes(7).batches())
        .apply("InlineRows", UnbatchScoredRows.create())).containsInAnyOrder(expected);
    PAssert.that(p.apply("Joined", ReadScoredRows.from(preds.toString(), columns).withGroupsFile(groups.toString())
            .withIdBuckets(3).batches())
        .apply("JoinedRows", UnbatchScoredRows.create())).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  @Test
  void predictAvroGlobGivesTheSameMetricsAsItsCsv(@TempDir Path dir) throws Exception {
    Path shards = dir.resolve("predictions");
    Files.createDirectories(shards);
    for (int shard = 0; shard < 2; shard++) {
      org.apache.avro.file.DataFileWriter<org.chexaudit.schemas.Prediction> w = new org.apache.avro.file.DataFileWriter<>(
          new org.apache.avro.specific.SpecificDatumWriter<>(org.chexaudit.schemas.Prediction.class));
      w.create(org.chexaudit.schemas.Prediction.getClassSchema(), shards.resolve("part-" + shard + ".avro").toFile());
      for (int i = shard; i < Y.length; i += 2) {
        w.append(org.chexaudit.schemas.Prediction.newBuilder().setId("img" + i).setPatientId("p" + (i / 2))
            .setTask("disease").setProbabilities(List.of(Float.parseFloat(S[i]))).setLogits(List.of(0f))
            .setTargets(List.of((float) Y[i]))
            .setAttributes(java.util.Map.of("race", RACE[i], "sex", i % 2 == 0 ? "Female" : "Male")).build());
      }
      w.close();
    }
    MetricsPipeline.run(options(writePredictions(dir), dir.resolve("csv"), "--bootstrap=0"));
    MetricsPipeline.run(options(shards.resolve("*.avro"), dir.resolve("avro"), "--bootstrap=0"));
    assertThat(Files.readAllLines(dir.resolve("avro/metrics.csv")), is(Files.readAllLines(dir.resolve("csv/metrics.csv"))));
  }
}
