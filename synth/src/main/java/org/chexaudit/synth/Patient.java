package org.chexaudit.synth;

import java.util.List;

/**
 * A generated patient. {@code sex} is train.csv's Sex; {@code demoGender}, {@code demoAge},
 * {@code race} and {@code ethnicity} are the spreadsheet's GENDER, AGE_AT_CXR, PRIMARY_RACE and
 * ETHNICITY ({@code null} = blank cell). Patients absent from train.csv have no studies.
 */
public record Patient(int index, String id, boolean inTrainCsv, boolean inDemo, String sex,
    String demoGender, int demoAge, String race, String ethnicity, RaceGroup raceGroup,
    List<Study> studies) {

  public int imageCount() {
    return studies.stream().mapToInt(s -> s.views().size()).sum();
  }
}
