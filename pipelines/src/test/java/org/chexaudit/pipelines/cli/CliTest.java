package org.chexaudit.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.chexaudit.pipelines.options.Dataset;
import org.chexaudit.pipelines.options.MetricsOptions;
import org.chexaudit.pipelines.options.Protocol;
import org.chexaudit.pipelines.options.TrainOptions;

import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

class CliTest {
  private static DirectOptions parse(String... args) {
    return PipelineOptionsFactory.fromArgs(Cli.withDirectRunnerChecksOff(args)).as(DirectOptions.class);
  }

  @Test
  void aWrongEnumValueFailsNamingTheOptionAndItsAllowedValues() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EnumArguments.check(new String[] {"--output=o", "--bootstrapUnit=cluster"}, MetricsOptions.class));
    assertThat(e.getMessage(), equalTo("--bootstrapUnit: 'cluster' is not one of image, patient"));
    EnumArguments.check(new String[] {"--bootstrapUnit=patient", "--dataset"}, MetricsOptions.class);
  }

  @Test
  void aPathOnAnotherFileSystemIsRefusedNamingTheOption() {
    MetricsOptions hdfs = PipelineOptionsFactory.fromArgs("--output=hdfs://nn:8020/runs/demo", "--predictions=p.csv")
        .as(MetricsOptions.class);
    assertThat(LocalPaths.check(hdfs, MetricsOptions.class), startsWith("--output=hdfs://nn:8020/runs/demo: only local"));
    MetricsOptions unknown = PipelineOptionsFactory.fromArgs("--output=out", "--predictions=foo://x/p.csv")
        .as(MetricsOptions.class);
    assertThat(LocalPaths.check(unknown, MetricsOptions.class), startsWith("--predictions=foo://x/p.csv"));
    MetricsOptions local = PipelineOptionsFactory.fromArgs("--output=runs/a", "--predictions=file:///tmp/p.csv")
        .as(MetricsOptions.class);
    assertThat(LocalPaths.check(local, MetricsOptions.class), nullValue());
  }

  @Test
  void enumOptionsParseFromTheirCommandLineSpelling() {
    TrainOptions o = PipelineOptionsFactory.fromArgs("--protocol=chexclusion", "--dataset=nih").as(TrainOptions.class);
    assertThat(o.getProtocol(), equalTo(Protocol.chexclusion));
    assertThat(o.getDataset(), equalTo(Dataset.nih));
    assertThat(PipelineOptionsFactory.as(TrainOptions.class).getDataset(), equalTo(Dataset.cxp));
  }

  @Test
  void renamedOptionsStillWorkWithAWarning() {
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    String[] args = RenamedOptions.rewrite("cohort", new String[] {"--splitSeed=7", "--output=o"},
        new PrintStream(warnings, true, StandardCharsets.UTF_8));
    assertThat(List.of(args), equalTo(List.of("--seed=7", "--output=o")));
    assertThat(warnings.toString(StandardCharsets.UTF_8).trim(),
        equalTo("chexaudit cohort: --splitSeed is deprecated; use --seed"));
  }

  @Test
  void directRunnerElementChecksAreOffUnlessTheCommandLineSetsThem() {
    DirectOptions byDefault = parse("--targetParallelism=2");
    assertThat(byDefault.isEnforceImmutability(), equalTo(false));
    assertThat(byDefault.isEnforceEncodability(), equalTo(false));
    assertThat(byDefault.getTargetParallelism(), equalTo(2));

    DirectOptions asked = parse("--enforceImmutability=true", "--enforceEncodability=true");
    assertThat(asked.isEnforceImmutability(), equalTo(true));
    assertThat(asked.isEnforceEncodability(), equalTo(true));
  }
}
