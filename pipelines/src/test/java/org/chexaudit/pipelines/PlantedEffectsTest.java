package org.chexaudit.pipelines;

import org.chexaudit.pipelines.cli.AuditCommand;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.options.AuditOptions;
import org.chexaudit.core.stats.RocCurve;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole audit on generated data whose effects are known (docs/synth.md): a planted signal must be
 * found and an absent one must not. Two studies: race drawn only inside the findings (so the frozen
 * disease features carry race and SPLIT recovers it), and race drawn only as a separate texture (so the
 * race model finds it but SPLIT on the disease features does not).
 */
@Tag("slow")
public class PlantedEffectsTest {
  private static final String[] LABELS = {
      "No Finding", "Enlarged Cardiomediastinum", "Cardiomegaly", "Lung Opacity", "Lung Lesion", "Edema",
      "Consolidation", "Pneumonia", "Atelectasis", "Pneumothorax", "Pleural Effusion", "Pleural Other",
      "Fracture", "Support Devices"};
  /**
   * The findings painted in these studies, at twice the default strength: the ones whose pattern stays
   * visible at the demo's 64×64 pixels (Pneumothorax's one-pixel pleural line and the small nodules and
   * patches of Lung Lesion and Pneumonia do not). Every other label is painted with strength 0 and so
   * is, like Fracture, a negative control.
   */
  static final List<String> PLANTED = List.of("Enlarged Cardiomediastinum", "Cardiomegaly", "Lung Opacity",
      "Edema", "Pleural Effusion", "Support Devices");
  /**
   * Cardiomegaly's enlarged outline is learnt more slowly by the small CNN at 64 px: AUC 0.87 after 20
   * epochs here (0.84 after 12), so it is held to a lower bound than the other planted findings. A
   * stronger plant does not close the gap: at strength 3 it reached 0.886 (2026-12-01), the other five
   * planted findings 0.95-1.00.
   */
  static final Map<String, Double> LOWER_BOUND = Map.of("Cardiomegaly", 0.8);

  static String findingStrengths() {
    List<String> parts = new ArrayList<>();
    for (String label : LABELS) {
      if (!label.equals("No Finding")) {
        parts.add(label + "=" + (PLANTED.contains(label) ? 2 : 0));
      }
    }
    return "--findingStrengths=\"" + String.join(",", parts) + "\"";
  }

  @TempDir Path tmp;

  private Path audit(String name, String synthOptions) {
    AuditOptions o = PipelineOptionsFactory.as(AuditOptions.class);
    o.setOutput(tmp.resolve(name).toString());
    o.setPatients(900);
    o.setEpochs(20);
    o.setBootstrap(0);
    o.setSynthOptions(synthOptions + " " + findingStrengths());
    AuditCommand.run(o, List.of());
    return tmp.resolve(name);
  }

  /** Test-split AUC of every column pair (score, 0/1 target) of a predictions CSV. */
  private static double auc(Path csv, String scoreColumn, String targetColumn, double positiveClass)
      throws IOException {
    List<String> lines = Files.readAllLines(csv);
    List<String> header = List.of(lines.get(0).split(","));
    int s = header.indexOf(scoreColumn);
    int t = header.indexOf(targetColumn);
    double[] scores = new double[lines.size() - 1];
    int[] y = new int[scores.length];
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",");
      scores[i - 1] = Double.parseDouble(f[s]);
      y[i - 1] = Double.parseDouble(f[t]) == positiveClass ? 1 : 0;
    }
    return RocCurve.auc(y, scores);
  }

  @Test
  void plantedFindingsSexAndRaceAreFoundAndTheNegativeControlsAreNot() throws Exception {
    Path run = audit("tied", "--raceSignal=0 --raceFindingCoupling=2");
    Path disease = run.resolve("predictions/disease/predictions.test.csv");
    Map<String, Double> aucs = new TreeMap<>();
    for (int l = 1; l < LABELS.length; l++) {
      aucs.put(LABELS[l], auc(disease, "class_" + l, "target_" + l, 1));
    }
    double sex = auc(run.resolve("predictions/sex/predictions.test.csv"), "class_1", "target", 1);
    // race drawn only inside the findings: the frozen disease features carry it
    double splitRace = auc(run.resolve("predictions/race-split/predictions.test.csv"), "class_0", "target", 0);
    System.err.println("planted-effects: disease AUC per label " + aucs + "; sex AUC " + sex
        + "; tied SPLIT race AUC (White vs rest) " + splitRace);
    for (String label : PLANTED) {
      assertThat(label, aucs.get(label), greaterThan(LOWER_BOUND.getOrDefault(label, 0.9)));
    }
    assertThat("Fracture, the negative control", aucs.get("Fracture"), allOf(greaterThan(0.4), lessThan(0.6)));
    aucs.forEach((label, a) -> {
      if (!PLANTED.contains(label)) {
        assertThat(label + " has no planted signal", a, lessThan(0.75));
      }
    });
    assertThat(sex, greaterThan(0.9));
    assertThat(splitRace, greaterThan(0.6));
  }

  @Test
  void raceDrawnApartFromTheFindingsIsFoundByTheRaceModelButNotBySplit() throws Exception {
    Path run = audit("apart", "--raceSignal=1 --raceFindingCoupling=0");
    double race = auc(run.resolve("predictions/race/predictions.test.csv"), "class_0", "target", 0);
    double splitRace = auc(run.resolve("predictions/race-split/predictions.test.csv"), "class_0", "target", 0);
    System.err.println("planted-effects: apart race AUC " + race + ", SPLIT race AUC " + splitRace);
    assertThat(race, greaterThan(0.9));
    assertThat(splitRace, allOf(greaterThan(0.35), lessThan(0.65)));
  }
}
