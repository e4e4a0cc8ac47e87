package org.chexaudit.core.cohort;

import org.chexaudit.schemas.DeadLetter;

/** Builds {@link DeadLetter} records. */
public final class DeadLetters {
  private DeadLetters() {}

  public static DeadLetter of(String stage, String source, Long line, String record, String reason) {
    return DeadLetter.newBuilder()
        .setStage(stage)
        .setSource(source)
        .setLine(line)
        .setRecord(record == null ? "" : record)
        .setReason(reason)
        .build();
  }
}
