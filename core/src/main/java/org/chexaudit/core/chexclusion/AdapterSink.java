package org.chexaudit.core.chexclusion;

import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.DeadLetter;

/** Receives what a dataset adapter reads, row by row: a record, or a dead letter for a row it cannot use. */
public interface AdapterSink {
  void record(CohortRecord record);

  void dead(DeadLetter deadLetter);
}
