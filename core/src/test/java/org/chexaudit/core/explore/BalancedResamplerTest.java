package org.chexaudit.core.explore;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BalancedResamplerTest {
  static final Map<Integer, String> RACES = Map.of(0, "White", 1, "Asian", 2, "Black");
  static final Map<Integer, String> DISEASES =
      Map.of(0, "No Finding", 1, "Pleural Effusion", 2, "Other");

  /** 6,000 rows, 70/20/10 % by race, with race-dependent disease prevalence and age. */
  static final class Cohort {
    final int[] race = new int[6000];
    final int[] disease = new int[6000];
    final int[] age = new int[6000];

    Cohort() {
      Random rng = new Random(3);
      double[][] prevalence = {{0.1, 0.5, 0.4}, {0.2, 0.3, 0.5}, {0.05, 0.2, 0.75}};
      for (int i = 0; i < race.length; i++) {
        double u = rng.nextDouble();
        race[i] = u < 0.7 ? 0 : u < 0.9 ? 1 : 2;
        double v = rng.nextDouble();
        double[] p = prevalence[race[i]];
        disease[i] = v < p[0] ? 0 : v < p[0] + p[1] ? 1 : 2;
        int centre = 50 + 4 * race[i] + 2 * disease[i];
        age[i] = Math.max(18, Math.min(90, (int) Math.round(centre + 15 * rng.nextGaussian())));
      }
    }
  }

  @Test
  void ageBinsFollowTheNotebook() {
    int[][] cases = {{0, 0}, {20, 0}, {21, 1}, {30, 1}, {31, 2}, {50, 3}, {51, 4}, {70, 5},
        {71, 6}, {80, 6}, {81, 7}, {99, 7}};
    for (int[] c : cases) {
      assertThat("age " + c[0], BalancedResampler.ageBin(c[0]), equalTo(c[1]));
    }
  }

  @Test
  void balancesRaceAndMatchesOverallPrevalencePerRace() {
    Cohort c = new Cohort();
    int[] rows = BalancedResampler.create().resample(c.race, c.disease, c.age);
    assertThat(rows.length, equalTo(18000));
    double[] overall = new double[3];
    for (int d : c.disease) {
      overall[d] += 1.0 / c.disease.length;
    }
    PrevalenceTable table = BalancedResampler.prevalence(rows, c.race, c.disease, RACES, DISEASES);
    assertThat(table.races().size(), equalTo(3));
    int[] raceCounts = new int[3];
    for (int i : rows) {
      raceCounts[c.race[i]]++;
    }
    for (int r = 0; r < 3; r++) {
      // Binomial sd of a share of 18,000 draws is 0.0035.
      assertThat(raceCounts[r] / 18000.0, closeTo(1 / 3.0, 0.02));
      for (int d = 0; d < 3; d++) {
        // About 6,000 rows per race: sd of a prevalence <= 0.0065.
        assertThat(table.fraction(RACES.get(r), DISEASES.get(d)), closeTo(overall[d], 0.03));
      }
    }
  }

  @Test
  void matchesOverallAgeDistributionWithinEachRaceAndDisease() {
    Cohort c = new Cohort();
    int[] rows = BalancedResampler.create().resample(c.race, c.disease, c.age);
    int d = 1;
    double[] overall = new double[8];
    int overallCount = 0;
    for (int i = 0; i < c.disease.length; i++) {
      if (c.disease[i] == d) {
        overall[BalancedResampler.ageBin(c.age[i])]++;
        overallCount++;
      }
    }
    for (int r = 0; r < 3; r++) {
      double[] here = new double[8];
      int count = 0;
      for (int i : rows) {
        if (c.race[i] == r && c.disease[i] == d) {
          here[BalancedResampler.ageBin(c.age[i])]++;
          count++;
        }
      }
      for (int b = 0; b < 8; b++) {
        assertThat("race " + r + " bin " + b, here[b] / count,
            closeTo(overall[b] / overallCount, 0.05));
      }
    }
  }

  @Test
  void sameSeedSameRowsOtherSeedOtherRows() {
    Cohort c = new Cohort();
    int[] a = BalancedResampler.create().withSeed(1).resample(c.race, c.disease, c.age);
    int[] b = BalancedResampler.create().withSeed(1).resample(c.race, c.disease, c.age);
    int[] other = BalancedResampler.create().withSeed(2).resample(c.race, c.disease, c.age);
    assertThat(a, equalTo(b));
    assertThat(a, not(equalTo(other)));
  }

  @Test
  void prevalenceTablePrintsTwoDecimalsPerRace() {
    int[] race = {0, 0, 1, 1};
    int[] disease = {0, 1, 2, 2};
    PrevalenceTable t = BalancedResampler.prevalence(new int[] {0, 1, 2, 3, 3}, race, disease,
        RACES, DISEASES);
    String text = t.format();
    assertThat(text, containsString("race   No Finding  Pleural Effusion  Other"));
    assertThat(text, containsString("White        0.50              0.50   0.00"));
    assertThat(text, containsString("Asian        0.00              0.00   1.00"));
  }

  @Test
  void rejectsColumnsOfDifferentLengths() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> BalancedResampler.create().resample(new int[2], new int[2], new int[1]));
    assertThat(e.getMessage(), containsString("equal lengths"));
  }
}
