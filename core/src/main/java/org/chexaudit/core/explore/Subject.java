package org.chexaudit.core.explore;

import java.io.Serializable;
import org.chexaudit.schemas.CohortRecord;

/** The cohort attributes the explorer colours and tests by: race, sex, age and the derived disease. */
public record Subject(String race, String sex, Integer age, String disease) implements Serializable {
  public static Subject of(CohortRecord r) {
    return new Subject(r.getRace(), r.getSex(), r.getAge(), r.getDisease());
  }
}
