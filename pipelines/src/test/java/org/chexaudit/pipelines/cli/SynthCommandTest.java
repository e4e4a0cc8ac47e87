package org.chexaudit.pipelines.cli;

import org.chexaudit.pipelines.stage.StageOutput;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.options.SynthOptions;
import org.chexaudit.synth.SynthConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthCommandTest {
  @TempDir Path tmp;

  private static SynthOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(SynthOptions.class);
  }

  @Test
  void writesCheXpertFolderWithImagesAndManifest() throws IOException {
    Path out = tmp.resolve("data");
    SynthCommand.Result r = SynthCommand.run(options("--output=" + out, "--patients=25",
        "--minImageSize=64", "--maxImageSize=96", "--threads=2"));
    assertThat(Files.isRegularFile(out.resolve("CheXpert-v1.0/train.csv")), is(true));
    assertThat(Files.isRegularFile(out.resolve("CHEXPERT DEMO.xlsx")), is(true));
    assertThat(Files.isRegularFile(out.resolve(StageOutput.MANIFEST)), is(true));
    long jpegs;
    try (Stream<Path> s = Files.walk(out.resolve("CheXpert-v1.0/train"))) {
      jpegs = s.filter(p -> p.toString().endsWith(".jpg")).count();
    }
    List<String> csv = Files.readAllLines(out.resolve("CheXpert-v1.0/train.csv"));
    assertThat(jpegs, is((long) csv.size() - 1));
    assertThat(r.images(), is(jpegs));
    assertThat(r.tables().trainRows(), is(jpegs));
    Map<String, Object> manifest = StageOutput.readManifest(out);
    assertThat(((Map<?, ?>) manifest.get("counts")).get("images"), equalTo((int) jpegs));
  }

  @Test
  void refusesToReplaceAnOutputWithoutOverwrite() throws IOException {
    Path out = tmp.resolve("data");
    SynthCommand.run(options("--output=" + out, "--patients=30", "--images=false"));
    StageOutput.StageOutputException e = assertThrows(StageOutput.StageOutputException.class,
        () -> SynthCommand.run(options("--output=" + out, "--patients=30", "--images=false")));
    assertThat(e.getMessage(), containsString("--overwrite=true"));
    SynthCommand.run(options("--output=" + out, "--patients=40", "--images=false",
        "--overwrite=true"));
    assertThat(Files.readAllLines(out.resolve("CheXpert-v1.0/train.csv")).get(1),
        containsString("patient00001"));
    assertThat(((Map<?, ?>) StageOutput.readManifest(out).get("counts")).get("train_patients"),
        equalTo(40));
  }

  @Test
  void optionsBecomeTheGeneratorConfig() {
    SynthConfig c = SynthCommand.config(options("--output=x", "--full",
        "--findingStrengths=Pleural Effusion=2,Fracture=1", "--findingStrength=0.5",
        "--prevalenceShifts=Pleural Effusion@Black=2,Cardiomegaly@Female=0.5",
        "--labelRates=Edema=0.3:0.1:0.1", "--raceFindingCoupling=1", "--sexSignal=0"));
    assertThat(c.patients(), is(SynthConfig.FULL_TRAIN_PATIENTS));
    assertThat(c.rows(), is(SynthConfig.FULL_ROWS));
    assertThat(c.demoPatients(), is(SynthConfig.FULL_DEMO_PATIENTS));
    assertThat(c.findingStrength("Pleural Effusion"), is(1.0));
    assertThat(c.findingStrength("Fracture"), is(0.5));
    assertThat(c.findingStrength("Cardiomegaly"), is(0.5));
    assertThat(c.prevalenceShifts().size(), is(2));
    assertThat(c.labelRates().get("Edema").positive(), is(0.3));
    assertThat(c.raceFindingCoupling(), is(1.0));
    assertThat(c.sexSignal(), is(0.0));
  }

  @Test
  void badOptionValuesNameTheOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SynthCommand.config(options("--output=x", "--findingStrengths=Pleural Effusion")));
    assertThat(e.getMessage(), containsString("--findingStrengths"));
    e = assertThrows(IllegalArgumentException.class,
        () -> SynthCommand.config(options("--output=x", "--prevalenceShifts=Edema@Martian=2")));
    assertThat(e.getMessage(), containsString("Martian"));
  }
}
