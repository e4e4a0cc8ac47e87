package org.chexaudit.examples.nih;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example audit on generated ChestX-ray14-format files with a planted effect: Effusion is
 * scored worse for women (their positives score lower), Cardiomegaly is scored the same for
 * everyone. The audit must find the first gap with its sign and interval, and not the second.
 */
class NihSubgroupAuditTest {
  @TempDir static Path dir;
  static Map<String, String[]> metrics;
  static Map<String, String[]> gaps;

  @BeforeAll
  static void runAudit() throws IOException {
    Random rnd = new Random(7);
    List<String> entries = new ArrayList<>(List.of(
        "Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,View Position"));
    List<String> scores = new ArrayList<>(List.of("Image Index,Effusion,Cardiomegaly"));
    for (int i = 0; i < 2000; i++) {
      boolean female = rnd.nextBoolean();
      boolean effusion = rnd.nextDouble() < 0.3;
      boolean cardio = rnd.nextDouble() < 0.3;
      String labels = effusion && cardio ? "Effusion|Cardiomegaly" : effusion ? "Effusion" : cardio ? "Cardiomegaly" : "No Finding";
      String image = String.format(Locale.ROOT, "%08d_000.png", i);
      entries.add(image + "," + labels + ",0," + (i / 2) + "," + (18 + rnd.nextInt(70)) + "," + (female ? "F" : "M") + ",PA");
      double eff = effusion ? (female ? 0.45 : 0.70) : 0.30;   // planted: women's effusions score lower
      double car = cardio ? 0.65 : 0.35;                        // control: the same for everyone
      scores.add(image + "," + score(rnd, eff) + "," + score(rnd, car));
    }
    Files.write(dir.resolve("Data_Entry_2017.csv"), entries);
    Files.write(dir.resolve("scores.csv"), scores);

    // as a user's run: the Direct runner's per-element immutability checks off (a debugging aid that
    // encodes every element again at every step)
    NihAuditOptions o = PipelineOptionsFactory.fromArgs("--enforceImmutability=false", "--enforceEncodability=false")
        .as(NihAuditOptions.class);
    o.setDataEntry(dir.resolve("Data_Entry_2017.csv").toString());
    o.setScores(dir.resolve("scores.csv").toString());
    o.setFindings("Effusion,Cardiomegaly");
    o.setOutput(dir.resolve("nih-").toString());
    o.setReplicates(40);
    NihSubgroupAudit.run(o).waitUntilFinish();
    metrics = read(dir.resolve("nih-metrics.csv"));
    gaps = read(dir.resolve("nih-tpr_gaps.csv"));
  }

  private static String score(Random rnd, double mean) {
    return String.format(Locale.ROOT, "%.5f", Math.min(1, Math.max(0, mean + 0.12 * rnd.nextGaussian())));
  }

  /** finding/attribute/group -> fields. */
  private static Map<String, String[]> read(Path csv) throws IOException {
    Map<String, String[]> out = new HashMap<>();
    for (String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
      String[] f = line.split(",", -1);
      out.put(f[0] + "/" + f[1] + "/" + f[2], f);
    }
    return out;
  }

  @Test
  void plantedEffusionGapIsFoundWithItsSign() {
    double gapFemale = Double.parseDouble(gaps.get("Effusion/sex/Female")[4]);
    assertThat(gapFemale, lessThan(-0.2));
    double femaleHi = Double.parseDouble(metrics.get("Effusion/sex/Female")[9]);
    double maleLo = Double.parseDouble(metrics.get("Effusion/sex/Male")[8]);
    assertThat("TPR intervals of women and men are apart", femaleHi, lessThan(maleLo));
  }

  @Test
  void controlFindingShowsNoGap() {
    double gapFemale = Double.parseDouble(gaps.get("Cardiomegaly/sex/Female")[4]);
    assertThat(Math.abs(gapFemale), lessThan(0.08));
    double femaleLo = Double.parseDouble(metrics.get("Cardiomegaly/sex/Female")[8]);
    double maleHi = Double.parseDouble(metrics.get("Cardiomegaly/sex/Male")[9]);
    assertThat("TPR intervals of women and men overlap", maleHi, greaterThan(femaleLo));
  }

  @Test
  void everyAgeGroupIsAudited() {
    for (String group : List.of("20-40", "40-60", "60-80")) {
      assertThat(group, Integer.parseInt(metrics.get("Effusion/age/" + group)[3]), greaterThan(100));
    }
  }
}
