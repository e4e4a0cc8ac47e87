package org.chexaudit.core.explore;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.chexaudit.core.cohort.CohortSpec;
import org.junit.jupiter.api.Test;

class ExploreNamesTest {
  @Test
  void chexpertConfigurationGivesTheExplorersLogitIndexesAndComparisons() {
    ExploreNames names = ExploreNames.of(CohortSpec.chexpert());
    assertThat(names.normalIndex(), is(0)); // seeds-spec A8: logit_0
    assertThat(names.positiveIndex(), is(10)); // logit_10
    assertThat(names.normalLogitName(), is("Logit - No Finding"));
    assertThat(names.positiveLogitName(), is("Logit - Pleural Effusion"));
    assertThat(names.diseaseOrder(), contains("Pleural Effusion", "Other", "No Finding"));
    assertThat(names.sexOrder(), contains("Male", "Female"));
    assertThat(names.raceOrder(), contains("White", "Asian", "Black"));
    assertThat(names.ksComparisons(), is(KsComparison.chexploration()));
  }

  @Test
  void indexesFollowTheLabelListNotConstants() {
    ExploreNames names = new ExploreNames(List.of("Effusion", "Atelectasis", "No Finding"), "No Finding", "Effusion",
        List.of("M", "F"), List.of("A", "B"));
    assertThat(names.normalIndex(), is(2));
    assertThat(names.positiveIndex(), is(0));
    assertThat(names.ksComparisons().stream().map(KsComparison::name).toList(),
        contains("Effusion vs No Finding", "B vs A", "F vs M"));
  }

  @Test
  void aDiseaseLabelMissingFromTheListIsRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ExploreNames(
        List.of("Cardiomegaly"), "No Finding", "Cardiomegaly", List.of(), List.of()));
    assertThat(e.getMessage(), containsString("normal label 'No Finding' is not one of the labels [Cardiomegaly]"));
  }
}
