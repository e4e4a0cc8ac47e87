package org.chexaudit.transforms.cohort;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.sameInstance;

import org.chexaudit.schemas.CohortRecord;
import org.junit.jupiter.api.Test;

class CohortRecordsTest {
  @Test
  void shallowCopyEqualsTheRecordAndSharesItsFieldValues() {
    CohortRecord r = CohortTransformsTest.image("patient00001", 3, "Frontal", "AP");
    CohortRecord copy = CohortRecords.shallowCopy(r);
    assertThat(copy, equalTo(r));
    assertThat(copy, not(sameInstance(r)));
    assertThat(copy.getLabels(), sameInstance(r.getLabels()));
  }

  @Test
  void settingAFieldOnTheCopyLeavesTheRecordUnchanged() {
    CohortRecord r = CohortTransformsTest.image("patient00001", 3, "Frontal", "AP");
    CohortRecord copy = CohortRecords.shallowCopy(r);
    copy.setRace("White");
    copy.setSplit("train");
    assertThat(r.getRace(), nullValue());
    assertThat(r.getSplit(), nullValue());
    assertThat(copy.getRace(), equalTo("White"));
  }
}
