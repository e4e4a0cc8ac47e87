package org.chexaudit.pipelines.report;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.MetricsPipeline;
import org.chexaudit.pipelines.options.MetricsOptions;
import org.chexaudit.transforms.io.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Findings from a run the pipeline computed, not from hand-written tables: generated predictions with
 * a planted TPR gap (Pleural Effusion: women's positive cases score lower) and a negative control
 * (Fracture: scores that carry nothing) go through {@code metrics} with the bootstrap;
 * the findings must report the planted gap with its sign and an interval that excludes 0, and call the
 * control's gaps "no evidence".
 */
class FindingsOnAGeneratedRunTest {
  @TempDir Path tmp;

  @Test
  void plantedGapIsFoundWithItsSignAndTheControlShowsNoEvidence() throws IOException {
    Path run = tmp.resolve("run");
    Path predictions = writePredictions(tmp.resolve("predictions.csv"), 2000, 7);
    MetricsOptions o = PipelineOptionsFactory.fromArgs(
        "--predictions=" + predictions, "--output=" + run.resolve("metrics/disease"),
        "--scoreColumns=class_10,class_12", "--targetColumns=target_10,target_12",
        "--labelNames=Pleural Effusion,Fracture", "--groupColumns=sex", "--thresholdRule=fpr:0.2",
        "--inSampleThreshold=true", "--bootstrap=50", "--seed=5").as(MetricsOptions.class);
    MetricsPipeline.run(o);

    List<Finding> findings = Findings.of(List.of(MetricsStage.read(Resources.dir(run.toString()),
        Resources.dir(run.resolve("metrics/disease").toString()))),
        List.of(), Set.of("Fracture"));
    List<Finding> effusion = tprGaps(findings, "Pleural Effusion");
    assertThat(effusion, hasSize(1));
    assertThat(effusion.get(0).text(), startsWith("At the global threshold (FPR 0.20), Female TPR for Pleural Effusion is"));
    assertThat(effusion.get(0).text(), effusion.get(0).verdict(), is(Finding.Verdict.EVIDENCE));
    assertThat("Female below Male", effusion.get(0).estimate(), lessThan(-0.2));

    List<Finding> control = findings.stream().filter(Finding::control).toList();
    assertThat(control, not(empty()));
    for (Finding f : control) {
      assertThat(f.text(), f.verdict(), is(not(Finding.Verdict.EVIDENCE)));
    }
    List<Finding> fractureGaps = tprGaps(findings, "Fracture");
    assertThat(fractureGaps, hasSize(1));
    assertThat(fractureGaps.get(0).text(), startsWith("No evidence of a TPR gap between Female and Male for Fracture (negative control)"));
    // the planted label is detected at all
    List<Finding> detects = findings.stream().filter(f -> f.topic() == Finding.Topic.PERFORMANCE
        && f.text().contains("Pleural Effusion")).toList();
    assertThat(detects.get(0).estimate(), greaterThan(0.2));
  }

  /** The TPR-gap findings of {@code label} (not its FPR gaps). */
  private static List<Finding> tprGaps(List<Finding> findings, String label) {
    return findings.stream().filter(f -> f.topic() == Finding.Topic.GAP && f.text().contains("for " + label)
        && !f.text().contains("FPR gap")).toList();
  }

  /**
   * Half the patients women. Pleural Effusion: positives score N(0.75, 0.12) for men and N(0.45, 0.12)
   * for women (expected TPRs at FPR 0.2 about 1.00 and 0.66), negatives N(0.3, 0.12) for all; Fracture: N(0.5, 0.2) for
   * everyone, positive or not. Prevalence 30 % for both labels.
   */
  static Path writePredictions(Path csv, int rows, long seed) throws IOException {
    Random r = new Random(seed);
    StringBuilder b = new StringBuilder("id,sex,class_10,target_10,class_12,target_12\n");
    for (int i = 0; i < rows; i++) {
      boolean female = r.nextBoolean();
      int effusion = r.nextDouble() < 0.3 ? 1 : 0;
      int fracture = r.nextDouble() < 0.3 ? 1 : 0;
      double e = effusion == 1 ? (female ? 0.45 : 0.75) + 0.12 * r.nextGaussian() : 0.3 + 0.12 * r.nextGaussian();
      double f = 0.5 + 0.2 * r.nextGaussian(); // uninformative: the same for positives and negatives
      b.append(String.format(Locale.ROOT, "img%05d,%s,%.6f,%d,%.6f,%d%n", i, female ? "Female" : "Male",
          clip(e), effusion, clip(f), fracture));
    }
    return Files.writeString(csv, b.toString());
  }

  private static double clip(double p) {
    return Math.min(1, Math.max(0, p));
  }
}
