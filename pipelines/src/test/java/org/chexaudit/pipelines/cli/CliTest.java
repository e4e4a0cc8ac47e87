package org.chexaudit.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

class CliTest {
  private static DirectOptions parse(String... args) {
    return PipelineOptionsFactory.fromArgs(Cli.withDirectRunnerChecksOff(args)).as(DirectOptions.class);
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
