package org.chexaudit.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasEntry;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.options.MetricsOptions;
import org.chexaudit.pipelines.stage.OptionsManifest;
import org.chexaudit.pipelines.stage.StageOutput;
import org.junit.jupiter.api.Test;

/** Manifests record every option of the command, read from the options object. */
class ManifestOptionsTest {
  /** The @Description'd properties of {@code type} (its own interfaces) that {@code options} lacks. */
  static List<String> missingOptions(Map<?, ?> options, Class<? extends PipelineOptions> type) {
    return Arrays.stream(OptionsManifest.ownGetters(type))
        .filter(m -> m.getAnnotation(Description.class) != null)
        .map(OptionsManifest::propertyName)
        .filter(p -> !options.containsKey(p))
        .toList();
  }

  /** Fails unless the manifest in {@code out} records every described option of {@code type}. */
  static void assertRecordsEveryOption(Path out, Class<? extends PipelineOptions> type) {
    Map<?, ?> options = (Map<?, ?>) StageOutput.readManifest(out).get("options");
    assertThat(type.getSimpleName() + " options missing from " + out, missingOptions(options, type), empty());
  }

  @Test
  void everyCommandsManifestHoldsEveryDescribedOption() throws Exception {
    for (Class<? extends PipelineOptions> type : OptionsConsistencyTest.commandOptions()) {
      assertThat(type.getSimpleName(),
          missingOptions(OptionsManifest.of(PipelineOptionsFactory.as(type), cast(type)), type), empty());
    }
  }

  @Test
  void manifestHoldsValuesAsGivenEnumsAsSpelledAndNoRunnerInternals() {
    MetricsOptions o = PipelineOptionsFactory.fromArgs("--predictions=p.csv", "--scoreColumns=s",
        "--targetColumns=t", "--output=out", "--calibrationBins=7", "--bootstrapUnit=patient").as(MetricsOptions.class);
    Map<String, Object> m = OptionsManifest.of(o, MetricsOptions.class);
    assertThat(m, hasEntry("calibrationBins", (Object) 7));
    assertThat(m, hasEntry("bootstrapUnit", (Object) "patient"));
    assertThat(m, hasEntry("idColumn", (Object) "id"));
    assertThat(m, hasEntry("patientColumn", (Object) null));
    assertThat(m, hasEntry("runner", (Object) "DirectRunner"));
    assertThat(m.containsKey("targetParallelism") || m.containsKey("jobName") || m.containsKey("tempLocation"),
        equalTo(false));
    for (Method getter : OptionsManifest.ownGetters(MetricsOptions.class)) {
      assertThat(getter.getDeclaringClass().getName(), org.hamcrest.Matchers.startsWith("org.chexaudit."));
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends PipelineOptions> Class<T> cast(Class<? extends PipelineOptions> type) {
    return (Class<T>) type;
  }
}
