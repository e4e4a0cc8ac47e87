package org.chexaudit.transforms.cohort;

import org.chexaudit.schemas.CohortRecord;

/** Copies of {@link CohortRecord}s for the cohort steps that add fields to the records they pass on. */
final class CohortRecords {
  private CohortRecords() {}

  /**
   * A shallow copy to set fields on. A step must not change its input element, but it may share the
   * input's field values: no step changes a string, label list or attribute map in place. Avro's
   * {@code CohortRecord.newBuilder(r)} deep-copies every field of every record instead, which made
   * up much of the cohort stage's allocation (issue 15).
   */
  static CohortRecord shallowCopy(CohortRecord r) {
    CohortRecord copy = new CohortRecord();
    int fields = r.getSchema().getFields().size();
    for (int i = 0; i < fields; i++) {
      copy.put(i, r.get(i));
    }
    return copy;
  }
}
