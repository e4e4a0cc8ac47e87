package org.chexaudit.pipelines;

import org.chexaudit.pipelines.cli.SynthCommand;

import static org.chexaudit.pipelines.ChexclusionEndToEndTest.options;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.chexaudit.pipelines.options.SynthOptions;
import org.chexaudit.synth.FindingPatterns;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TPR gap planted in the pixels of a generated MIMIC-format folder is found by the whole CheXclusion
 * chain, with its sign, and no gap is found where none is planted. Only two findings are painted, both
 * common (30 % of studies) so that the test split holds enough positives of each sex: Cardiomegaly,
 * which is not painted at all in women's images (the planted gap), and Pleural Effusion, painted alike
 * for everyone (the control). The labels are drawn independently of age (otherwise Cardiomegaly and
 * Pleural Effusion rise together with age, and a model that leans on one to predict the other carries
 * the planted gap over to the control) and the sex signal is off, so nothing but the planted gap differs
 * between the sexes. Three seeds of a small CNN under CheXclusion's training protocol, then
 * max-F1 thresholds from validation, TPR per sex on test and the complement-rule gap over the seeds.
 */
@Tag("slow")
class ChexclusionPlantedGapTest {
  static final List<String> SEEDS = List.of("19", "31", "38");
  static final List<String> PAINTED = List.of("Cardiomegaly", "Pleural Effusion");

  @Test
  void plantedSexGapShowsWithItsSignAndTheControlFindingHasNone(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    SynthCommand.run(options(SynthOptions.class, "--format=mimic", "--patients=700", "--minImageSize=64",
        "--maxImageSize=72", "--seed=5", "--plantedGap=sex=F:Cardiomegaly:0.0",
        "--sexSignal=0", "--ageDiseaseEffect=0",
        "--findingStrengths=" + FindingPatterns.PAINTED.stream()
            .map(l -> l + "=" + (PAINTED.contains(l) ? 3 : 0)).collect(Collectors.joining(",")),
        "--labelRates=Cardiomegaly=0.3:0.0:0.7,Pleural Effusion=0.3:0.0:0.7", "--output=" + data));
    Path eval = MimicChain.run(dir, 64, SEEDS, 0, "--epochs=8");

    Map<String, Map<String, String>> sex = ChexclusionPipelineTest.readWant(eval.resolve("WantSex.csv"));
    Map<String, String> cardio = sex.get("Cardiomegaly");
    Map<String, String> effusion = sex.get("Pleural Effusion");
    System.err.println("planted-gap: WantSex Cardiomegaly " + cardio + "; Pleural Effusion " + effusion
        + "; AUC " + Files.readAllLines(eval.resolve("AUC.csv")));
    double gapF = Double.parseDouble(cardio.get("Gap_F_mean"));
    double ciF = Double.parseDouble(cardio.get("CI_F"));
    // women's Cardiomegaly is invisible: their TPR is far below men's, beyond the spread over seeds
    assertThat("Cardiomegaly Gap_F", gapF, lessThan(-0.2));
    assertThat("Cardiomegaly Gap_F + CI", gapF + ciF, lessThan(0.0));
    assertThat("Cardiomegaly Gap_M", Double.parseDouble(cardio.get("Gap_M_mean")), greaterThan(0.2));
    // Pleural Effusion is painted alike for both sexes: no gap beyond test-set sampling noise
    assertThat("Pleural Effusion |Gap_F|", Math.abs(Double.parseDouble(effusion.get("Gap_F_mean"))), lessThan(0.15));
  }
}
