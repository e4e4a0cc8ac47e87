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
}
