package org.chexaudit.pipelines;

import org.chexaudit.pipelines.stage.StageOutput;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.schemas.SubgroupMetric;
import org.chexaudit.schemas.TprGap;
import org.chexaudit.pipelines.options.ChexclusionEvalOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * chexclusion-eval on synthetic predictions of three "seeds" with a planted TPR gap: Cardiomegaly
 * positives of Medicaid patients are scored lower (mean 0.45 instead of 0.65), nothing else differs
 * between groups. The Want files must show Medicaid's negative gap and no sizeable gap elsewhere.
 */
class ChexclusionPipelineTest {
  static final String[] LABELS = {"No Finding", "Cardiomegaly", "Edema"};
  static final String[] SEX = {"M", "F"};
  static final String[] AGE = {"0-20", "20-40", "40-60", "60-80", "80-"};
  static final String[] INSURANCE = {"Medicare", "Other", "Medicaid", "0"};

  /** Fixed test/validation sets (targets, groups); scores drawn per run seed. */
  static Path writeRuns(Path dir, int runs) throws Exception {
    Random cohort = new Random(7);
    int nTest = 3000, nVal = 1500;
    int[][] yTest = targets(cohort, nTest);
    int[][] yVal = targets(cohort, nVal);
    String[][] groupsTest = groups(cohort, nTest);
    String[][] groupsVal = groups(cohort, nVal);
    List<String> groupLines = new ArrayList<>(List.of("id,sex,age,insurance"));
    for (int i = 0; i < nTest; i++) {
      groupLines.add("t" + i + "," + String.join(",", groupsTest[i]));
    }
    Files.write(dir.resolve("groups.csv"), groupLines);
    for (int r = 0; r < runs; r++) {
      Random model = new Random(100 + r);
      Path run = Files.createDirectories(dir.resolve("seed" + (30 + r)));
      Files.write(run.resolve("predictions.val.csv"), predictions("v", yVal, groupsVal, model));
      Files.write(run.resolve("predictions.test.csv"), predictions("t", yTest, groupsTest, model));
    }
    return dir;
  }

  private static int[][] targets(Random rnd, int n) {
    int[][] y = new int[n][LABELS.length];
    for (int i = 0; i < n; i++) {
      for (int l = 0; l < LABELS.length; l++) {
        y[i][l] = rnd.nextDouble() < 0.3 ? 1 : 0;
      }
    }
    return y;
  }

  private static String[][] groups(Random rnd, int n) {
    String[][] g = new String[n][];
    for (int i = 0; i < n; i++) {
      double u = rnd.nextDouble();
      String insurance = u < 0.45 ? INSURANCE[0] : u < 0.85 ? INSURANCE[1] : u < 0.97 ? INSURANCE[2] : INSURANCE[3];
      g[i] = new String[] {SEX[rnd.nextInt(2)], AGE[rnd.nextInt(5)], insurance};
    }
    return g;
  }

  private static List<String> predictions(String prefix, int[][] y, String[][] groups, Random rnd) {
    List<String> lines = new ArrayList<>(List.of("id,class_0,class_1,class_2,target_0,target_1,target_2"));
    for (int i = 0; i < y.length; i++) {
      StringBuilder b = new StringBuilder(prefix + i);
      for (int l = 0; l < LABELS.length; l++) {
        boolean planted = l == 1 && y[i][l] == 1 && groups[i][2].equals("Medicaid");
        double mean = y[i][l] == 1 ? (planted ? 0.45 : 0.65) : 0.35;
        b.append(',').append(Math.min(1, Math.max(0, mean + 0.15 * rnd.nextGaussian())));
      }
      for (int l = 0; l < LABELS.length; l++) {
        b.append(',').append(y[i][l]);
      }
      lines.add(b.toString());
    }
    return lines;
  }

  static ChexclusionEvalOptions options(Path dir, Path out, String... extra) {
    List<String> args = args(dir, out);
    args.addAll(List.of(extra));
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).withValidation().as(ChexclusionEvalOptions.class);
  }

  static List<String> args(Path dir, Path out) {
    return new ArrayList<>(List.of(
        "--runs=" + dir.resolve("seed30") + "," + dir.resolve("seed31") + "," + dir.resolve("seed32"),
        "--runNames=30,31,32", "--scoreColumns=class_0,class_1,class_2", "--targetColumns=target_0,target_1,target_2",
        "--labels=No Finding,Cardiomegaly,Edema", "--groupColumns=sex,age,insurance",
        "--groupsFile=" + dir.resolve("groups.csv"), "--output=" + out,
        // as the command line runs it (Cli): the Direct runner's immutability check walks the whole graph per bundle
        "--enforceImmutability=false", "--enforceEncodability=false"));
  }

  /** Want file as label -> column -> value. */
  static Map<String, Map<String, String>> readWant(Path file) throws Exception {
    List<String> lines = Files.readAllLines(file);
    String[] header = lines.get(0).split(",", -1);
    Map<String, Map<String, String>> out = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      Map<String, String> row = new HashMap<>();
      for (int i = 0; i < header.length; i++) {
        row.put(header[i], f[i]);
      }
      out.put(f[0], row);
    }
    return out;
  }

  @Test
  void plantedInsuranceGapShowsWithItsSignAndNothingElse(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    ChexclusionPipeline.run(options(writeRuns(dir, 3), out));

    Map<String, Map<String, String>> insurance = readWant(out.resolve("WantInsurance.csv"));
    Map<String, String> cardio = insurance.get("Cardiomegaly");
    double gap = Double.parseDouble(cardio.get("Gap_Medicaid_mean"));
    double ci = Double.parseDouble(cardio.get("CI_Medicaid"));
    assertThat(gap, lessThan(-0.2));
    assertThat(gap + ci, lessThan(0.0));
    assertThat(cardio.containsKey("Gap_0_mean"), is(false)); // "0" means missing
    List<String> order = Files.readAllLines(out.resolve("WantInsurance.csv"));
    assertThat(order.get(order.size() - 1), containsString("Cardiomegaly,")); // largest Distance last
    for (String label : LABELS) {
      for (String g : new String[] {"Medicare", "Other", "Medicaid"}) {
        if (!(label.equals("Cardiomegaly") && g.equals("Medicaid"))) {
          assertThat(label + " " + g, Math.abs(Double.parseDouble(insurance.get(label).get("Gap_" + g + "_mean"))),
              lessThan(0.06));
        }
      }
      Map<String, String> sex = readWant(out.resolve("WantSex.csv")).get(label);
      assertThat(label + " sex", Math.abs(Double.parseDouble(sex.get("Gap_M_mean"))), lessThan(0.06));
      assertThat(Double.parseDouble(sex.get("Distance")),
          is(Math.abs(Double.parseDouble(sex.get("Gap_M_mean")) - Double.parseDouble(sex.get("Gap_F_mean")))));
    }
    assertThat(Files.readAllLines(out.resolve("WantAge.csv")).get(0),
        is("diseases,Distance,%60-80,Gap_60-80_mean,CI_60-80,%40-60,Gap_40-60_mean,CI_40-60,%20-40,Gap_20-40_mean,"
            + "CI_20-40,%80-,Gap_80-_mean,CI_80-,%0-20,Gap_0-20_mean,CI_0-20"));

    // per-run files with the original's names
    for (String run : new String[] {"30", "31", "32"}) {
      Path r = out.resolve("results" + run);
      assertThat(Files.readAllLines(r.resolve("Threshold.csv")).get(0), is("label,bestthr"));
      assertThat(Files.readAllLines(r.resolve("bipred.csv")).size(), is(3001));
      assertThat(Files.readAllLines(r.resolve("Run" + run + "_insurance.csv")).get(0),
          is("diseases,%Medicare,Gap_Medicare,%Other,Gap_Other,%Medicaid,Gap_Medicaid"));
      assertThat(Files.exists(r.resolve("Run" + run + "_TPR_sex.csv")), is(true));
      assertThat(Files.readAllLines(out.resolve("Eval" + run + ".csv")).get(0), is("label,auc,auprc"));
    }
    List<String> auc = Files.readAllLines(out.resolve("AUC.csv"));
    assertThat(auc.get(auc.size() - 1), containsString("AUC ave,"));
    double meanAuc = Double.parseDouble(auc.get(auc.size() - 1).split(",")[1]);
    assertThat(meanAuc, greaterThan(0.8));
    assertThat(Files.readAllLines(out.resolve("SummaryTable.csv")),
        org.hamcrest.Matchers.hasItem(org.hamcrest.Matchers.startsWith("insurance,")));
    assertThat(Files.readAllLines(out.resolve("Correlation.csv")).get(0),
        is("attribute,group,n,r,p,threshold,significant"));
    for (String f : new String[] {"TPR_Dis_INSURANCE.png", "TPR_Dis_SEX.png", "TPR_Dis_AGE.png", "disparity.avro",
        "metrics.avro", StageOutput.MANIFEST}) {
      assertThat(f, Files.size(out.resolve(f)), greaterThan(0L));
    }
  }

  private static <T extends SpecificRecord> List<T> readAvro(Path file, Class<T> type) throws Exception {
    List<T> out = new ArrayList<>();
    try (DataFileReader<T> in = new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(type))) {
      in.forEach(out::add);
    }
    return out;
  }

  private static double value(String csvCell) {
    return csvCell.isEmpty() ? Double.NaN : Double.parseDouble(csvCell);
  }

  private static double value(Double avro) {
    return avro == null ? Double.NaN : avro;
  }

  @Test
  void beamMetricsAndDisparityAgreeWithTheChexclusionFiles(@TempDir Path dir) throws Exception {
    // the CSVs are drawn up on the client from the records the pipeline wrote (SubgroupMetrics,
    // TprDisparity and MeanGapsOverRuns): every figure in a CSV is the record's
    Path out = dir.resolve("out");
    ChexclusionPipeline.run(options(writeRuns(dir, 3), out));
    List<TprGap> gaps = readAvro(out.resolve("disparity.avro"), TprGap.class);
    int compared = 0;
    for (String run : new String[] {"30", "31", "32"}) {
      for (String attribute : new String[] {"sex", "age", "insurance"}) {
        Map<String, Map<String, String>> file = readWant(out.resolve("results" + run + "/Run" + run + "_" + attribute
            + ".csv"));
        for (TprGap g : gaps) {
          if (g.getRun() != null && g.getRun().toString().equals(run) && g.getAttribute().toString().equals(attribute)) {
            Map<String, String> row = file.get(g.getLabel().toString());
            assertThat(g.toString(), value(g.getTprGap()),
                is(value(row.get("Gap_" + g.getGroup()))));
            assertThat(g.toString(), value(g.getShareOfPositives()), closeTo(value(row.get("%" + g.getGroup())), 1e-12));
            compared++;
          }
        }
      }
      Map<String, Map<String, String>> thresholds = readWant(out.resolve("results" + run + "/Threshold.csv"));
      Map<String, Map<String, String>> eval = readWant(out.resolve("Eval" + run + ".csv"));
      for (SubgroupMetric m : readAvro(out.resolve("metrics.avro"), SubgroupMetric.class)) {
        if (m.getRun().toString().equals(run) && m.getAttribute().toString().equals("all")) {
          String label = m.getLabel().toString();
          assertThat(m.getThreshold(), is(value(thresholds.get(label).get("bestthr"))));
          assertThat(value(m.getAuc()), is(value(eval.get(label).get("auc"))));
          assertThat(value(m.getAuprc()), is(value(eval.get(label).get("auprc"))));
        }
      }
    }
    // 3 runs x 3 labels x (2 sexes + 5 ages + 3 insurances)
    assertThat(compared, is(3 * 3 * 10));
    // the mean over runs: MeanGapsOverRuns in the pipeline, the Want files on the client, the same bits
    int means = 0;
    for (String attribute : new String[] {"sex", "age", "insurance"}) {
      Map<String, Map<String, String>> want = readWant(out.resolve("Want" + Character.toUpperCase(attribute.charAt(0))
          + attribute.substring(1) + ".csv"));
      for (TprGap g : gaps) {
        if (g.getRun() == null && g.getAttribute().toString().equals(attribute)) {
          Map<String, String> row = want.get(g.getLabel().toString());
          assertThat(g.toString(), value(g.getTprGap()), is(value(row.get("Gap_" + g.getGroup() + "_mean"))));
          assertThat(g.toString(), value(g.getCi()), is(value(row.get("CI_" + g.getGroup()))));
          assertThat(g.toString(), value(g.getShareOfPositives()), is(value(row.get("%" + g.getGroup()))));
          assertThat(g.toString(), value(g.getDistance()), is(value(row.get("Distance"))));
          means++;
        }
      }
    }
    assertThat(means, is(3 * 10));
    // bipred.csv: every test row once, sorted by id, True exactly where the score reaches Threshold.csv's value
    Map<String, Map<String, String>> thresholds = readWant(out.resolve("results30/Threshold.csv"));
    List<String> bipred = Files.readAllLines(out.resolve("results30/bipred.csv"));
    assertThat(bipred.get(0), is("Path,bi_No Finding,bi_Cardiomegaly,bi_Edema"));
    List<String> ids = bipred.subList(1, bipred.size()).stream().map(l -> l.split(",")[0]).toList();
    assertThat(ids, is(ids.stream().sorted().toList()));
    Map<String, String> byId = new HashMap<>();
    bipred.subList(1, bipred.size()).forEach(l -> byId.put(l.split(",")[0], l));
    List<String> test = Files.readAllLines(dir.resolve("seed30/predictions.test.csv"));
    assertThat(byId.size(), is(test.size() - 1));
    for (String line : test.subList(1, test.size())) {
      String[] f = line.split(",");
      StringBuilder expected = new StringBuilder(f[0]);
      for (int l = 0; l < LABELS.length; l++) {
        double t = Double.parseDouble(thresholds.get(LABELS[l]).get("bestthr"));
        expected.append(Double.parseDouble(f[1 + l]) >= t ? ",True" : ",False");
      }
      assertThat(byId.get(f[0]), is(expected.toString()));
    }
  }

  @Test
  void tIntervalIsWiderByTheQuantileRatio(@TempDir Path dir) throws Exception {
    Path runs = writeRuns(dir, 3);
    ChexclusionPipeline.run(options(runs, dir.resolve("normal")));
    ChexclusionPipeline.run(options(runs, dir.resolve("t"), "--seedInterval=STUDENT_T"));
    String ci = "CI_Medicaid";
    double normal = Double.parseDouble(readWant(dir.resolve("normal/WantInsurance.csv")).get("Cardiomegaly").get(ci));
    double t = Double.parseDouble(readWant(dir.resolve("t/WantInsurance.csv")).get("Cardiomegaly").get(ci));
    // three runs, all defined: t(0.975, 2) / 1.96 = 2.1952309846486098 (benchmarks/reference/metrics_fidelity.py)
    assertThat(t / normal, closeTo(2.1952309846486098, 1e-9));
  }

  @Test
  void missingRunFileIsNamed(@TempDir Path dir) throws Exception {
    writeRuns(dir, 3);
    Files.delete(dir.resolve("seed31").resolve("predictions.test.csv"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ChexclusionPipeline.run(options(dir, dir.resolve("out"))));
    assertThat(e.getMessage(), containsString("seed31"));
    assertThat(Files.exists(dir.resolve("out")), is(false));
  }

  @Test
  void groupOrderParsing() {
    assertThat(ChexclusionPipeline.groupOrder("age=60-80|40-60; sex=M|F").get("age"),
        is(List.of("60-80", "40-60")));
    assertThrows(IllegalArgumentException.class, () -> ChexclusionPipeline.groupOrder("age"));
  }
}
