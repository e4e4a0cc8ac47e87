package org.chexaudit.transforms.cohort;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.PatientDemographics;
import org.chexaudit.transforms.cohort.Filtered;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** JoinDemographics, MapRace, FilterCohort and PatientSplit on the Direct runner. */
@ExtendWith(TestPipelineExtension.class)
class CohortTransformsTest {

  static CohortRecord image(String patient, long row, String view, String projection) {
    return CohortRecord.newBuilder()
        .setId(patient + "_" + row)
        .setRowIndex(row)
        .setPatientId(patient)
        .setPath("root/train/" + patient + "/study1/view" + row + ".jpg")
        .setPathPreproc("p")
        .setSex(row % 2 == 0 ? "Male" : "Female")
        .setFrontalLateral(view)
        .setApPa(projection)
        .setLabels(new ArrayList<>())
        .setDisease("Other")
        .setDiseaseLabel(2)
        .setAttributes(new HashMap<>())
        .build();
  }

  static PatientDemographics demo(String patient, long row, String race, String ethnicity) {
    return PatientDemographics.newBuilder()
        .setPatientId(patient).setRow(row).setRaceRaw(race).setEthnicity(ethnicity).build();
  }

  private static PCollection<CohortRecord> images(TestPipeline p, CohortRecord... records) {
    return p.apply("Images", Create.of(List.of(records)).withCoder(AvroCoder.of(CohortRecord.class)));
  }

  private static PCollection<String> ids(PCollection<CohortRecord> c) {
    return c.apply("Ids", MapElements.into(TypeDescriptors.strings()).via(CohortRecord::getId));
  }

  @Test
  void splitFileAssignsByRowIndexAndDeadLettersRepeatsAndRowsWithoutImages(TestPipeline p,
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path split = dir.resolve("split.csv");
    java.nio.file.Files.writeString(split, ",index,split\n0,0,train\n1,1,test\n2,1,validate\n3,7,train\n");
    PCollection<CohortRecord> imgs = images(p,
        image("a", 0, "Frontal", "AP"), image("a", 1, "Frontal", "AP"), image("b", 2, "Frontal", "PA"));
    Filtered joined = imgs.apply(JoinSplitFile.from(split.toString()));

    PAssert.that(joined.kept().apply("IdSplit",
            MapElements.into(TypeDescriptors.strings()).via((CohortRecord r) -> r.getId() + "=" + r.getSplit())))
        .containsInAnyOrder("a_0=train", "a_1=test");
    PAssert.that(joined.rejected()).containsInAnyOrder(KV.of(JoinSplitFile.NOT_IN_SPLIT, "b_2"));
    PAssert.that(joined.deadLetters().apply("Reasons",
            MapElements.into(TypeDescriptors.strings()).via(d -> d.getLine() + ": " + d.getReason())))
        .containsInAnyOrder("4: index 1 is listed again (first on line 3)",
            "5: index 7 names no readable row of the images CSV");
    p.run().waitUntilFinish();
  }

  @Test
  void joinKeepsMatchedImagesFiltersUnmatchedAndDeadLettersConflicts(TestPipeline p) {
    PCollection<CohortRecord> imgs = images(p,
        image("a", 0, "Frontal", "AP"), image("a", 1, "Lateral", null),
        image("b", 2, "Frontal", "PA"), image("c", 3, "Frontal", "AP"), image("d", 4, "Frontal", "AP"));
    PCollection<PatientDemographics> demo = p.apply("Demo", Create.of(List.of(
            demo("a", 0, "White", "Not Hispanic"),
            demo("c", 1, "White", "Not Hispanic"), demo("c", 2, "Asian", "Not Hispanic"),
            demo("d", 3, "Black", "Hispanic"), demo("d", 4, "Black", "Hispanic"),
            demo("z", 5, "Asian", "Not Hispanic")))
        .withCoder(AvroCoder.of(PatientDemographics.class)));
    Filtered joined = imgs.apply(JoinDemographics.with(demo));

    PAssert.that(ids(joined.kept())).containsInAnyOrder("a_0", "a_1", "d_4");
    PAssert.that(joined.rejected()).containsInAnyOrder(
        KV.of(JoinDemographics.NO_DEMOGRAPHICS, "b_2"), KV.of(JoinDemographics.CONFLICTING, "c_3"));
    PAssert.that(joined.deadLetters().apply(MapElements.into(TypeDescriptors.longs()).via(d -> d.getLine())))
        .containsInAnyOrder(3L, 4L); // sheet rows 1 and 2 are spreadsheet lines 3 and 4
    p.run().waitUntilFinish();
  }

  @Test
  void raceAndFiltersCountEachRecordUnderItsFirstFailingRule(TestPipeline p) {
    PCollection<CohortRecord> imgs = ruleCases(p, "Lateral", null);
    Filtered raced = imgs.apply(MapRace.chexpert());
    Filtered filtered = raced.then("Filter", FilterCohort.chexpert());

    PAssert.that(ids(filtered.kept())).containsInAnyOrder("a_0");
    PAssert.that(raced.rejected()).containsInAnyOrder(KV.of(MapRace.RULE, "b_1"));
    PAssert.that(filtered.rejected()).containsInAnyOrder(
        KV.of("ethnicity not in [Non-Hispanic/Non-Latino, Not Hispanic]", "c_2"),
        KV.of("view not in [Frontal]", "d_3"),
        KV.of("projection not in [AP, PA]", "e_4"));
    PAssert.that(raced.kept().apply("Labels", MapElements.into(
            TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.integers()))
        .via(r -> KV.of(r.getRace(), r.getRaceLabel()))))
        .containsInAnyOrder(KV.of("White", 0), KV.of("Black", 2), KV.of("Asian", 1), KV.of("Asian", 1));
    p.run().waitUntilFinish();
  }

  /** The race mapping as the first rule of the filters: one step, the same records kept and counts per rule. */
  @Test
  void raceMappingAsAFilterRuleKeepsAndCountsAsTwoSteps(TestPipeline p) {
    PCollection<CohortRecord> imgs = ruleCases(p, "Frontal", "PA");
    FilterCohort rules = FilterCohort.of(MapRace.chexpert().asRule()).then(FilterCohort.chexpert());
    Filtered filtered = imgs.apply(rules);

    PAssert.that(filtered.kept().apply("Labels", MapElements.into(TypeDescriptors.strings())
        .via(r -> r.getId() + ":" + r.getRace() + ":" + r.getRaceLabel())))
        .containsInAnyOrder("a_0:White:0", "d_3:Asian:1");
    PAssert.that(filtered.rejected()).containsInAnyOrder(
        KV.of(MapRace.RULE, "b_1"),
        KV.of("ethnicity not in [Non-Hispanic/Non-Latino, Not Hispanic]", "c_2"),
        KV.of("projection not in [AP, PA]", "e_4"));
    p.run().waitUntilFinish();
    assertThat(rules.ruleNames(), contains(MapRace.RULE,
        "ethnicity not in [Non-Hispanic/Non-Latino, Not Hispanic]", "view not in [Frontal]", "projection not in [AP, PA]"));
  }

  /** Five images, a to e, that fail no rule, the race mapping, ethnicity, (d: as its view and projection), projection. */
  private static PCollection<CohortRecord> ruleCases(TestPipeline p, String dView, String dProjection) {
    return images(p,
        withDemo(image("a", 0, "Frontal", "AP"), "White, non-Hispanic", "Not Hispanic"),
        withDemo(image("b", 1, "Lateral", null), "Other", "Hispanic"),
        withDemo(image("c", 2, "Lateral", "AP"), "Black, Hispanic", "Hispanic/Latino"),
        withDemo(image("d", 3, dView, dProjection), "Asian", "Non-Hispanic/Non-Latino"),
        withDemo(image("e", 4, "Frontal", "LL"), "Asian - Historical Conv", "Not Hispanic"));
  }

  private static CohortRecord withDemo(CohortRecord r, String race, String ethnicity) {
    return CohortRecord.newBuilder(r).setRaceRaw(race).setEthnicity(ethnicity).build();
  }

  @Test
  void patientSplitNeverPutsAPatientInTwoSplits(TestPipeline p) {
    List<CohortRecord> records = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      records.add(image("patient" + (i / 3), i, "Frontal", "AP"));
    }
    PCollection<KV<String, String>> patientSplit =
        p.apply(Create.of(records).withCoder(AvroCoder.of(CohortRecord.class)))
            .apply(PatientSplit.chexploration().withSeed(11))
            .apply(MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                .via(r -> KV.of(r.getPatientId(), r.getSplit())))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    PAssert.that(patientSplit).satisfies(pairs -> {
      Map<String, Set<String>> splitsOf = new HashMap<>();
      Map<String, Set<String>> patientsIn = new HashMap<>();
      for (KV<String, String> kv : pairs) {
        splitsOf.computeIfAbsent(kv.getKey(), k -> new HashSet<>()).add(kv.getValue());
        patientsIn.computeIfAbsent(kv.getValue(), k -> new HashSet<>()).add(kv.getKey());
      }
      splitsOf.values().forEach(s -> assertThat(s, hasSize(1)));
      assertThat(patientsIn.get("train"), hasSize(60));
      assertThat(patientsIn.get("validate"), hasSize(10));
      assertThat(patientsIn.get("test"), hasSize(30));
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void patientSplitIsTheSameAtAnyBundling(TestPipeline p) {
    List<CohortRecord> records = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      records.add(image("p" + (i / 2), i, "Frontal", "AP"));
    }
    // the same assignment computed directly from the set of patients
    Map<String, String> strata = new HashMap<>();
    records.forEach(r -> strata.put(r.getPatientId(), ""));
    Map<String, String> expected = org.chexaudit.core.cohort.SplitAssignment.assign(
        strata, List.of("train", "validate", "test"), List.of(0.6, 0.1, 0.3), 5);
    List<KV<String, String>> expectedPairs = new ArrayList<>();
    records.forEach(r -> expectedPairs.add(KV.of(r.getId(), expected.get(r.getPatientId()))));
    PAssert.that(p.apply(Create.of(records).withCoder(AvroCoder.of(CohortRecord.class)))
            .apply(PatientSplit.chexploration().withSeed(5))
            .apply(MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                .via(r -> KV.of(r.getId(), r.getSplit()))))
        .containsInAnyOrder(expectedPairs);
    assertThat(expectedPairs, hasSize(90));
    assertThat(new HashSet<>(expected.values()), equalTo(Set.of("train", "validate", "test")));
    p.run().waitUntilFinish();
  }
}
