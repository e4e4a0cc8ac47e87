package org.chexaudit.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class StageJvmOptionsTest {
  private static final String QUICK = "cohort,metrics,audit";

  @Test
  void aQuickCommandGetsTheQuickCompilerOnce() {
    assertThat(StageJvmOptions.of("cohort", List.of("-Xmx8g"), QUICK), contains("-Xmx8g", StageJvmOptions.QUICK_JIT));
    assertThat(StageJvmOptions.of("metrics", List.of("-Xmx8g", StageJvmOptions.QUICK_JIT), QUICK),
        contains("-Xmx8g", StageJvmOptions.QUICK_JIT));
  }

  @Test
  void anyOtherCommandLosesTheAuditsQuickCompiler() {
    assertThat(StageJvmOptions.of("explore", List.of("-Xmx8g", StageJvmOptions.QUICK_JIT, "-Da=b"), QUICK),
        contains("-Xmx8g", "-Da=b"));
    // a name that only contains a quick command's name is not one
    assertThat(StageJvmOptions.of("chexclusion-cohort", List.of(StageJvmOptions.QUICK_JIT, "-Da=b"), QUICK),
        contains("-Da=b"));
  }

  @Test
  void withoutTheLaunchersListTheStageInheritsEverything() {
    assertThat(StageJvmOptions.of("explore", List.of(StageJvmOptions.QUICK_JIT), null),
        contains(StageJvmOptions.QUICK_JIT));
  }

  @Test
  void theLauncherUsesTheSameFlagAndProperty() throws IOException {
    String launcher = Files.readString(Path.of("..", "bin", "chexaudit"));
    assertThat(launcher, containsString("QUICK_JIT=" + StageJvmOptions.QUICK_JIT + "\n"));
    assertThat(launcher, containsString("-D" + StageJvmOptions.QUICK_COMMANDS + "="));
  }
}
