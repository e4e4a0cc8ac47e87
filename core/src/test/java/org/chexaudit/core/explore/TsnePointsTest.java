package org.chexaudit.core.explore;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class TsnePointsTest {
  private static List<ExploreRow> rows(String prefix, int n) {
    List<ExploreRow> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(new ExploreRow(prefix + i, "White", "Male", 50, "Other", 0, 0, new double[] {i}));
    }
    return rows;
  }

  @Test
  void aPoolSmallerThanTheLimitIsTakenWhole() {
    List<ExploreRow> pool = rows("p", 5);
    assertThat(TsnePoints.choose(rows("s", 2), pool, 10, 1), sameInstance(pool));
  }

  @Test
  void aFullPoolGivesTheSampleFirstThenASeededChoiceUpToTheLimit() {
    List<ExploreRow> sample = rows("s", 3);
    List<ExploreRow> pool = rows("p", 10);
    List<ExploreRow> points = TsnePoints.choose(sample, pool, 10, 7);
    assertThat(points.size(), is(10));
    assertThat(points.subList(0, 3), is(sample));
    assertThat(new HashSet<>(points.subList(3, 10)).size(), is(7));
    assertThat(TsnePoints.choose(sample, pool, 10, 7), is(points));
  }

  @Test
  void aLimitBelowTheSampleIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> TsnePoints.choose(rows("s", 5), rows("p", 4), 4, 1));
  }
}
