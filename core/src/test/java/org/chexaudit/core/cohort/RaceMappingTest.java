package org.chexaudit.core.cohort;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every raw PRIMARY_RACE string of seeds-spec A2 maps as the notebook maps it. */
class RaceMappingTest {
  private final RaceMapping mapping = CohortSpec.chexpert().raceMapping;

  @Test
  void raceMappingChecksBlackBeforeWhiteBeforeAsian() {
    for (String s : List.of("Black or African American", "Black, non-Hispanic", "Black, Hispanic")) {
      assertThat(s, mapping.map(s), equalTo(new RaceMapping.Group("Black", 2)));
    }
    for (String s : List.of("White", "White, non-Hispanic", "White, Hispanic", "White or Caucasian")) {
      assertThat(s, mapping.map(s), equalTo(new RaceMapping.Group("White", 0)));
    }
    for (String s : List.of("Asian", "Asian, non-Hispanic", "Asian, Hispanic", "Asian - Historical Conv")) {
      assertThat(s, mapping.map(s), equalTo(new RaceMapping.Group("Asian", 1)));
    }
    // a string naming two groups takes the first rule: Black before White
    assertThat(mapping.map("White, Black"), equalTo(new RaceMapping.Group("Black", 2)));
  }

  @Test
  void otherRaceStringsAndBlanksMapToNothing() {
    for (String s : List.of("Other", "Other, Hispanic", "Other, non-Hispanic", "Unknown",
        "Race and Ethnicity Unknown", "Patient Refused", "Native Hawaiian or Other Pacific Islander",
        "Pacific Islander, Hispanic", "Pacific Islander, non-Hispanic", "American Indian or Alaska Native",
        "Native American, Hispanic", "Native American, non-Hispanic", "white", "ASIAN")) {
      assertThat(s, mapping.map(s), nullValue());
    }
    assertThat(mapping.map(null), nullValue());
  }

  @Test
  void racesByLabelFollowTheLabels() {
    assertThat(mapping.racesByLabel(), equalTo(List.of("White", "Asian", "Black")));
  }
}
