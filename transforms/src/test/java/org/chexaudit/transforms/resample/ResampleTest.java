package org.chexaudit.transforms.resample;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.chexaudit.schemas.CohortRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class ResampleTest {
  static final String[] RACES = {"White", "Asian", "Black"};
  static final String[] DISEASES = {"No Finding", "Pleural Effusion", "Other"};

  /** 1,500 records: 70/20/10 % by race, prevalence skewed by race. */
  static List<CohortRecord> cohort() {
    Random rng = new Random(4);
    double[][] prevalence = {{0.1, 0.5, 0.4}, {0.2, 0.3, 0.5}, {0.05, 0.2, 0.75}};
    List<CohortRecord> rows = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      double u = rng.nextDouble();
      int race = u < 0.7 ? 0 : u < 0.9 ? 1 : 2;
      double v = rng.nextDouble();
      double[] p = prevalence[race];
      int disease = v < p[0] ? 0 : v < p[0] + p[1] ? 1 : 2;
      rows.add(CohortRecord.newBuilder()
          .setId("img" + i).setRowIndex(i).setPatientId("patient" + i)
          .setPath("p" + i + ".jpg").setPathPreproc("pp" + i + ".jpg")
          .setLabels(List.of()).setRace(RACES[race]).setRaceLabel(race)
          .setAge(20 + rng.nextInt(70)).setDisease(DISEASES[disease]).setDiseaseLabel(disease)
          .build());
    }
    return rows;
  }

  @Test
  void resamplesThreeTimesWithBalancedRacesAndPrintsPrevalence(TestPipeline p) {
    List<CohortRecord> input = cohort();
    double[] overall = new double[3];
    for (CohortRecord r : input) {
      overall[r.getDiseaseLabel()] += 1.0 / input.size();
    }
    PCollectionTuple out = p.apply(Create.of(input).withCoder(AvroCoder.of(CohortRecord.class)))
        .apply(Resample.create().withSeed(5));
    PAssert.that(out.get(Resample.RESAMPLED)
            .apply(MapElements.into(TypeDescriptors.strings()).via(r -> r.getRace().toString()))
            .apply(Count.perElement()))
        .satisfies(counts -> {
          long total = 0;
          for (var kv : counts) {
            total += kv.getValue();
            assertThat(kv.getValue() / 4500.0, closeTo(1 / 3.0, 0.04));
          }
          assertThat(total, equalTo(4500L));
          return null;
        });
    PAssert.thatSingleton(out.get(Resample.PREVALENCE)).satisfies(table -> {
      assertThat(table.diseases(), equalTo(List.of(DISEASES)));
      for (String race : RACES) {
        for (int d = 0; d < 3; d++) {
          // About 1,500 rows per race: sd of a prevalence <= 0.013.
          assertThat(table.fraction(race, DISEASES[d]), closeTo(overall[d], 0.05));
        }
      }
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void sameSeedGivesSameMultisetOfIds(TestPipeline p) {
    List<CohortRecord> input = cohort();
    PCollection<KV<String, Long>> a = idCounts(p, "A", input);
    PCollection<KV<String, Long>> b = idCounts(p, "B", input);
    // Equal multisets: every (id, times drawn) pair occurs once in each, so twice in both.
    PAssert.that(PCollectionList.of(a).and(b).apply(Flatten.pCollections())
            .apply(Count.perElement()))
        .satisfies(pairs -> {
          int distinct = 0;
          for (KV<KV<String, Long>, Long> kv : pairs) {
            assertThat(kv.getValue(), equalTo(2L));
            distinct++;
          }
          assertThat(distinct, greaterThan(500));
          return null;
        });
    p.run().waitUntilFinish();
  }

  private static PCollection<KV<String, Long>> idCounts(
      TestPipeline p, String name, List<CohortRecord> input) {
    return p.apply("Create" + name, Create.of(input).withCoder(AvroCoder.of(CohortRecord.class)))
        .apply("Resample" + name, Resample.create().withSeed(9))
        .get(Resample.RESAMPLED)
        .apply("Ids" + name, MapElements.into(TypeDescriptors.strings())
            .via(r -> r.getId().toString()))
        .apply("Count" + name, Count.perElement());
  }
}
