package org.chexaudit.core.stats;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScoredRowBatchTest {
  private static final String[] SEX = {"F", "M", null, ""};
  private static final String[] RACE = {"White", "Black", "Asian"};

  /** Rows with two labels and two attributes; patients missing on every fifth, ids of varied length. */
  static List<ScoredRow> rows(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<ScoredRow> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(ScoredRow.of("img-" + i + "é".repeat(i % 3), i % 5 == 0 ? null : "p" + i / 3,
          new double[] {r.nextDouble(), i % 7 == 0 ? 0.5 : -r.nextDouble() * 1e9},
          new int[] {r.nextInt(2), r.nextInt(2)},
          new String[] {SEX[r.nextInt(SEX.length)], RACE[r.nextInt(RACE.length)]}));
    }
    return rows;
  }

  static ScoredRowBatch batch(List<ScoredRow> rows) {
    ScoredRowBatch.Builder b = ScoredRowBatch.builder(2, 2);
    rows.forEach(b::add);
    return b.build();
  }

  static List<ScoredRow> rowsOf(ScoredRowBatch batch) {
    List<ScoredRow> out = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      out.add(batch.row(i));
    }
    return out;
  }

  @Test
  void givesBackEveryRowAsAdded() {
    for (int n : new int[] {0, 1, 1024, 1025, 3000}) {
      List<ScoredRow> rows = rows(n, n);
      ScoredRowBatch batch = batch(rows);
      assertThat(batch.size(), is(n));
      assertThat(rowsOf(batch), is(rows));
      for (int i = 0; i < n; i++) {
        assertThat(batch.score(1, i), is(rows.get(i).score(1)));
        assertThat(batch.target(0, i), is(rows.get(i).target(0)));
        assertThat(batch.attribute(1, i), is(rows.get(i).attribute(1)));
        assertThat(batch.patient(i), is(rows.get(i).patient()));
      }
    }
  }

  @Test
  void columnsAreCopies() {
    ScoredRowBatch batch = batch(rows(10, 1));
    double first = batch.score(0, 0);
    batch.scores(0)[0] = 99;
    batch.positives(0)[0] = !batch.positives(0)[0];
    assertThat(batch.score(0, 0), is(first));
    assertThat(batch.scores(0).length, is(10));
  }

  @Test
  void rowsOfOneCombinationShareIt() {
    ScoredRowBatch batch = batch(rows(500, 2));
    // four sexes (one missing, one blank) times three races
    assertThat(batch.combinationCount(), is(12));
    for (int i = 0; i < batch.size(); i++) {
      int c = batch.combination(i);
      assertThat(batch.combinationValue(c, 0), is(batch.attribute(0, i)));
      assertThat(batch.combinationValue(c, 1), is(batch.attribute(1, i)));
    }
  }

  @Test
  void groupCodesFollowTheGrouping() {
    List<ScoredRow> rows = rows(300, 3);
    ScoredRowBatch batch = batch(rows);
    for (String spec : new String[] {"sex", "race", "sex*race"}) {
      Grouping g = Grouping.parse(spec, List.of("sex", "race"));
      List<String> names = new ArrayList<>();
      int[] codes = batch.groupCodes(g, names);
      assertThat(codes.length, is(batch.combinationCount()));
      for (int i = 0; i < rows.size(); i++) {
        int code = codes[batch.combination(i)];
        String expected = g.groupOf(rows.get(i));
        assertThat(spec + " row " + i, code < 0 ? null : names.get(code), is(expected));
      }
    }
    // a missing or blank sex has no sex group, nor any sex*race group
    List<String> names = new ArrayList<>();
    ScoredRowBatch one = batch(List.of(
        ScoredRow.of("a", null, new double[] {0, 0}, new int[] {0, 0}, new String[] {"", "White"}),
        ScoredRow.of("b", null, new double[] {0, 0}, new int[] {0, 0}, new String[] {"M", "White"}),
        ScoredRow.of("c", null, new double[] {0, 0}, new int[] {0, 0}, new String[] {null, "Black"})));
    int[] codes = one.groupCodes(Grouping.parse("sex*race", List.of("sex", "race")), names);
    assertThat(codes[one.combination(0)], is(-1));
    assertThat(codes[one.combination(2)], is(-1));
    assertThat(names, contains("M*White"));
    assertThat(one.attribute(0, 2), is(nullValue()));
  }

  @Test
  void writtenAndReadBackIsTheSame() throws IOException {
    for (int n : new int[] {0, 1, 2500}) {
      List<ScoredRow> rows = rows(n, 10 + n);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      batch(rows).writeTo(new DataOutputStream(bytes));
      ScoredRowBatch back = ScoredRowBatch.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
      assertThat(rowsOf(back), is(rows));
      assertThat(back.combinationCount(), is(batch(rows).combinationCount()));
    }
  }

  @Test
  void refusesARowOfAnotherWidth() {
    ScoredRowBatch.Builder b = ScoredRowBatch.builder(2, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.add(
        ScoredRow.of("x", null, new double[] {0.1}, new int[] {1}, new String[] {"F", "White"})));
    assertThat(e.getMessage(), containsString("row x has 1 scores and 2 attributes, expected 2 and 2"));
  }
}
