package org.chexaudit.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.hdfs.HadoopFileSystemOptions;
import org.junit.jupiter.api.Test;

class OptionsRegistryTest {
  @Test
  void anInterfaceIsUsedWhenAnArgumentNamesOneOfItsOptions() {
    assertThat(OptionsRegistry.namesAnOptionOf(new String[] {"--flinkMaster=[local]"}, FlinkPipelineOptions.class),
        is(true));
    assertThat(OptionsRegistry.namesAnOptionOf(new String[] {"--targetParallelism=2"}, DirectOptions.class), is(true));
    assertThat(OptionsRegistry.namesAnOptionOf(new String[] {"--hdfsConfiguration", "[]"},
        HadoopFileSystemOptions.class), is(true));
    // an option S3Options inherits from AwsOptions
    assertThat(OptionsRegistry.namesAnOptionOf(new String[] {"--awsRegion=eu-west-1"}, S3Options.class), is(true));
  }

  @Test
  void pipelineOptionsOwnOptionsOrValuesDoNotCount() {
    String[] args = {"--runner=FlinkRunner", "--jobName=x", "--output=--flinkMaster", "flinkMaster"};
    assertThat(OptionsRegistry.namesAnOptionOf(args, FlinkPipelineOptions.class), is(false));
    assertThat(OptionsRegistry.namesAnOptionOf(args, HadoopFileSystemOptions.class), is(false));
  }

  @Test
  void theRegistrarsOnTheClassPathAreFound() {
    assertThat(OptionsRegistry.registrarInterfaces(getClass().getClassLoader()),
        hasItems(DirectOptions.class, FlinkPipelineOptions.class, HadoopFileSystemOptions.class, S3Options.class));
  }
}
