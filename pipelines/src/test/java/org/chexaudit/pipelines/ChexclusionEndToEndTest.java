package org.chexaudit.pipelines;

import org.chexaudit.pipelines.cli.SynthCommand;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.options.SynthOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CheXclusion chain on a generated MIMIC-format folder with a planted gap: synth, chexclusion-cohort,
 * preprocess (shorter side, as Scale), train (CheXclusion's protocol, small CNN, two seeds), predict (both
 * seeds), chexclusion-eval over the two runs. It checks that the stages fit together (ids, label count,
 * groups file, seed folders); the data are too small for the gap to be significant.
 */
@Tag("slow")
class ChexclusionEndToEndTest {
  static <T extends PipelineOptions> T options(Class<T> type, String... args) {
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(type);
  }

  @Test
  void mimicChainRuns(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    SynthCommand.run(options(SynthOptions.class, "--format=mimic", "--patients=120", "--minImageSize=40",
        "--maxImageSize=48", "--plantedGap=insurance=Medicaid:Cardiomegaly:0.0", "--output=" + data));
    Path eval = MimicChain.run(dir, 16, List.of("19", "31"), 1, "--epochs=2");
    Path cohort = dir.resolve("cohort");
    Path model = dir.resolve("model");
    Path predict = dir.resolve("predict");
    List<String> labels = Files.readAllLines(cohort.resolve("labels.txt"));
    for (String seed : List.of("19", "31")) {
      long testRows = Files.readAllLines(predict.resolve("seed" + seed + "/predictions.test.csv")).size() - 1;
      assertThat((long) Files.readAllLines(eval.resolve("results" + seed + "/bipred.csv")).size() - 1, is(testRows));
      assertThat(Files.readAllLines(eval.resolve("Eval" + seed + ".csv")).size(), is(labels.size() + 1));
      assertThat(Files.readAllLines(model.resolve("seed" + seed + "/training_log.csv")).get(0),
          is("epoch,train_loss,val_loss,seconds,images_per_s,seed,lr"));
    }
    assertThat(Files.readAllLines(eval.resolve("WantInsurance.csv")).size(), is(labels.size() + 1));
    List<String> auc = Files.readAllLines(eval.resolve("AUC.csv"));
    assertThat(auc.get(auc.size() - 1), startsWith("AUC ave,"));
    assertThat(auc.get(auc.size() - 1), endsWith(",2")); // over both seeds
  }
}
