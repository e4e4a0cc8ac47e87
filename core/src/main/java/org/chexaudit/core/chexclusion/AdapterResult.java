package org.chexaudit.core.chexclusion;

import java.util.List;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.DeadLetter;

/** What a dataset adapter read: the cohort records, and every row it could not use with the reason. */
public record AdapterResult(List<CohortRecord> records, List<DeadLetter> deadLetters) {
  public AdapterResult {
    records = List.copyOf(records);
    deadLetters = List.copyOf(deadLetters);
  }

  /** Collects what {@code reader} sends to its sink. */
  static AdapterResult collect(java.util.function.Consumer<AdapterSink> reader) {
    List<CohortRecord> records = new java.util.ArrayList<>();
    List<DeadLetter> dead = new java.util.ArrayList<>();
    reader.accept(new AdapterSink() {
      @Override
      public void record(CohortRecord r) {
        records.add(r);
      }

      @Override
      public void dead(DeadLetter d) {
        dead.add(d);
      }
    });
    return new AdapterResult(records, dead);
  }
}
