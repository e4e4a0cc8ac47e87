package org.chexaudit.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.models.Architecture;
import org.chexaudit.models.Regimen;
import org.chexaudit.models.Task;
import org.chexaudit.models.TrainConfig;
import org.chexaudit.pipelines.options.TrainOptions;
import org.junit.jupiter.api.Test;

/** train's options: the protocol's preset first, then every option given explicitly (seeds-spec B4). */
class TrainPresetTest {
  private static TrainConfig config(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--shards=/data/images";
    all[1] = "--output=/tmp/model";
    System.arraycopy(args, 0, all, 2, args.length);
    return TrainPipeline.config(PipelineOptionsFactory.fromArgs(all).as(TrainOptions.class), 256);
  }

  @Test
  void chexplorationDefaultsAreTheOriginalsAsBefore() {
    TrainConfig c = config();
    assertThat(c, equalTo(TrainConfig.of(Task.DISEASE, Architecture.DENSENET121).withImageSize(256)));
    assertThat(c.regimen(), equalTo(Regimen.chexploration()));
    assertThat(c.batchSize(), equalTo(150));
    assertThat(c.learningRate(), equalTo(1e-3f));
    assertThat(c.epochs(), equalTo(20));
  }

  @Test
  void eachDatasetGetsItsPreset() {
    // --dataset defaults to cxp, as chexclusion-cohort's does
    assertPreset(config("--protocol=chexclusion"), 48, 5e-5f, 15, 10);
    assertPreset(config("--protocol=chexclusion", "--dataset=cxp"), 48, 5e-5f, 15, 10);
    assertPreset(config("--protocol=chexclusion", "--dataset=mimic"), 48, 5e-4f, 15, 10);
    assertPreset(config("--protocol=chexclusion", "--dataset=nih"), 32, 5e-4f, 10, 10);
    assertPreset(config("--protocol=chexclusion", "--dataset=all"), 48, 5e-4f, 15, 5);
    TrainConfig c = config("--protocol=chexclusion", "--dataset=all");
    assertThat(c.architecture(), equalTo(Architecture.DENSENET121));
    assertThat(c.epochs(), equalTo(65));
    assertThat(c.toMap().get("gradientClipValue"), equalTo(0.5f));
    assertThat(c.toMap().get("adamResetEachEpoch"), equalTo(true));
    assertThat(c.modelSpec().input().centreCrop(), equalTo(true));
  }

  private static void assertPreset(TrainConfig c, int batch, float lr, double degrees, int patience) {
    assertThat(c.batchSize(), equalTo(batch));
    assertThat(c.microBatchSize(), equalTo(batch));
    assertThat(c.learningRate(), equalTo(lr));
    assertThat(c.regimen(), equalTo(Regimen.chexclusion(degrees, patience)));
  }

  @Test
  void explicitOptionsOverrideThePreset() {
    TrainConfig c = config("--protocol=chexclusion", "--dataset=nih", "--batchSize=8", "--learningRate=0.01",
        "--epochs=3", "--patience=4", "--rotationDegrees=2.5", "--arch=smallcnn", "--seed=9", "--augment=false");
    assertThat(c.batchSize(), equalTo(8));
    assertThat(c.learningRate(), equalTo(0.01f));
    assertThat(c.epochs(), equalTo(3));
    assertThat(c.regimen(), equalTo(Regimen.chexclusion(2.5, 4)));
    assertThat(c.architecture(), equalTo(Architecture.SMALL_CNN));
    assertThat(c.seed(), equalTo(9L));
    assertThat(c.augment(), equalTo(false));
  }

  @Test
  void badCombinationsFailNamingTheOptions() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> config("--protocol=chexclusion", "--dataset=padchest"));
    // Beam parses the enum and lists its values (the command line names the option too: CliTest)
    assertThat(e.getMessage(), allOf(containsString("padchest"), containsString("cxp"), containsString("mimic"),
        containsString("nih"), containsString("all")));
    e = assertThrows(IllegalArgumentException.class, () -> config("--patience=4"));
    assertThat(e.getMessage(), containsString("add --protocol=chexclusion or drop them"));
    e = assertThrows(IllegalArgumentException.class, () -> config("--protocol=chexclusion", "--dataset=cxp",
        "--task=sex"));
    assertThat(e.getMessage(), containsString("--task=sex is not disease"));
    e = assertThrows(IllegalArgumentException.class, () -> config("--protocol=chexclusion", "--dataset=cxp",
        "--patience=2"));
    assertThat(e.getMessage(), containsString("--patience=2: Regimen.patience must be >= 3"));
    e = assertThrows(IllegalArgumentException.class, () -> config("--protocol=chexplorer"));
    assertThat(e.getMessage(), allOf(containsString("chexplorer"), containsString("chexploration"),
        containsString("chexclusion")));
    e = assertThrows(IllegalArgumentException.class, () -> SeedRuns.parse("32,x"));
    assertThat(e.getMessage(), containsString("--seeds '32,x' must be integers"));
    e = assertThrows(IllegalArgumentException.class, () -> SeedRuns.parse("32,40,32"));
    assertThat(e.getMessage(), equalTo("--seeds '32,40,32' names a seed twice"));
  }
}
