package org.chexaudit.pipelines;

import org.chexaudit.pipelines.cli.Main;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.notNullValue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  @SuppressWarnings("unchecked")
  void everyCommandsOptionsCanBeRegisteredInOneJvm() throws Exception {
    List<Class<? extends PipelineOptions>> all = new ArrayList<>();
    for (Map.Entry<String, String[]> e : Main.COMMANDS.entrySet()) {
      if (!Main.isAvailable(e.getKey())) {
        continue;
      }
      Class<?> pipeline = Class.forName(e.getValue()[0]);
      for (Method m : pipeline.getDeclaredMethods()) {
        if (m.getName().equals("run") && m.getParameterCount() >= 1
            && PipelineOptions.class.isAssignableFrom(m.getParameterTypes()[0])) {
          all.add((Class<? extends PipelineOptions>) m.getParameterTypes()[0]);
        }
      }
    }
    all.forEach(PipelineOptionsFactory::register);
    for (Class<? extends PipelineOptions> c : all) {
      assertThat(c.getSimpleName(), PipelineOptionsFactory.as(c), notNullValue());
    }
    assertThat(all.size() >= 8, org.hamcrest.Matchers.is(true));
  }
}
