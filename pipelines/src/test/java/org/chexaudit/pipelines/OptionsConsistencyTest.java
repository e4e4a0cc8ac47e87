package org.chexaudit.pipelines;

import org.chexaudit.pipelines.cli.Main;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.notNullValue;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/**
 * Beam refuses, in one JVM, two options interfaces that declare the same property with a different
 * type or default. Every command's options are registered together here, as they are on a Flink
 * TaskManager or in this test JVM, so a conflicting option fails this test rather than a user's run.
 */
class OptionsConsistencyTest {
  @Test
  void everyCommandsOptionsCanBeRegisteredInOneJvm() throws Exception {
    List<Class<? extends PipelineOptions>> all = new ArrayList<>();
    for (Main.Entry e : Main.COMMANDS.values()) {
      all.add(e.options());
    }
    all.forEach(PipelineOptionsFactory::register);
    for (Class<? extends PipelineOptions> c : all) {
      assertThat(c.getSimpleName(), PipelineOptionsFactory.as(c), notNullValue());
    }
    assertThat(all.size() >= 8, org.hamcrest.Matchers.is(true));
  }
}
