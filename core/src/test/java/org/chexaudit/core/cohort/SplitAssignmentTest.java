package org.chexaudit.core.cohort;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SplitAssignmentTest {
  private static final List<String> NAMES = List.of("train", "validate", "test");
  private static final List<Double> FRACTIONS = List.of(0.6, 0.1, 0.3);

  private static Map<String, String> patients(int n, int strata) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < n; i++) {
      m.put(String.format("patient%05d", i), "s" + (i % strata));
    }
    return m;
  }

  private static Map<String, Integer> counts(Map<String, String> assignment) {
    Map<String, Integer> c = new TreeMap<>();
    assignment.values().forEach(v -> c.merge(v, 1, Integer::sum));
    return c;
  }

  @Test
  void cutsAtRoundedFractionsWithTheRestToTest() {
    // 42,883 patients as in AI-Vengers: 25,730 / 4,288 / 12,865
    Map<String, String> a = SplitAssignment.assign(patients(42883, 1), NAMES, FRACTIONS, 2021);
    assertThat(counts(a), equalTo(Map.of("train", 25730, "validate", 4288, "test", 12865)));
  }

  @Test
  void roundsHalfToEvenAsPython() {
    // 0.1 * 25 = 2.5 -> 2 (Python round), 0.6 * 25 = 15
    Map<String, String> a = SplitAssignment.assign(patients(25, 1), NAMES, FRACTIONS, 1);
    assertThat(counts(a), equalTo(Map.of("train", 15, "validate", 2, "test", 8)));
  }

  @Test
  void sameSeedSameSplitRegardlessOfInputOrder() {
    Map<String, String> p = patients(1000, 1);
    Map<String, String> a = SplitAssignment.assign(p, NAMES, FRACTIONS, 7);
    Map<String, String> b = SplitAssignment.assign(new TreeMap<>(p), NAMES, FRACTIONS, 7);
    assertThat(a, equalTo(b));
    assertThat(SplitAssignment.assign(p, NAMES, FRACTIONS, 8), not(equalTo(a)));
  }

  @Test
  void stratifiedSplitKeepsEachStratumsProportions() {
    Map<String, String> p = patients(3000, 3);
    Map<String, String> a = SplitAssignment.assign(p, NAMES, FRACTIONS, 3);
    for (String stratum : List.of("s0", "s1", "s2")) {
      Map<String, Integer> c = new TreeMap<>();
      p.forEach((patient, s) -> {
        if (s.equals(stratum)) {
          c.merge(a.get(patient), 1, Integer::sum);
        }
      });
      assertThat(stratum, c, equalTo(Map.of("train", 600, "validate", 100, "test", 300)));
    }
  }

  @Test
  void rejectsFractionsThatDoNotSumToOne() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SplitAssignment.assign(Map.of(), NAMES, List.of(0.5, 0.1, 0.3), 1));
    assertThat(e.getMessage().contains("sum to 1"), is(true));
  }
}
