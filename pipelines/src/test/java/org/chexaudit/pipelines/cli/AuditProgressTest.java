package org.chexaudit.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuditProgressTest {
  private final AuditProgress progress = new AuditProgress("/run",
      List.of("models/a", "models/b", "models/c", "metrics/a", "report"),
      List.of("train", "train", "train", "metrics", "report"));

  @Test
  void noEstimateBeforeAnyRemainingCommandIsTimed() {
    assertThat(progress.timeLeft(0), is(""));
  }

  @Test
  void remainingStagesTakeTheMeanOfTheirCommandSoFarAndUntimedOnesMakeItALowerBound() {
    progress.done(0, 100);
    progress.done(1, 140);
    assertThat(progress.timeLeft(2), is("at least 0:02:00 left"));
  }

  @Test
  void estimateIsExactWhenEveryRemainingCommandWasTimed() {
    AuditProgress p = new AuditProgress("/run", List.of("models/a", "models/b", "metrics/a"),
        List.of("train", "train", "metrics"));
    p.done(0, 60);
    p.done(2, 5);
    assertThat(p.timeLeft(1), is("0:01:05 left"));
    assertThat(p.timeLeft(3), is(""));
  }

  @Test
  void skippedStagesAreNotTimings() {
    progress.skipped(0);
    assertThat(progress.timeLeft(1), is(""));
  }
}
