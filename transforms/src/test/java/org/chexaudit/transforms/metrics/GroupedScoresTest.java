package org.chexaudit.transforms.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.beam.sdk.util.CoderUtils;
import org.chexaudit.core.stats.ScoreHistogram;
import org.chexaudit.core.stats.SegmentLayout;
import org.chexaudit.core.stats.SortedScores;
import org.junit.jupiter.api.Test;

/**
 * {@link GroupedScores}: the histograms read off several workers' parts (each numbering its groups in its
 * own order) equal {@link ScoreHistogram#of} on each subgroup's rows; tied rows are counted, not repeated;
 * the coder gives back the same parts.
 */
class GroupedScoresTest {
  private static final String[][] GROUPS = {{"F", "M"}, {"A", "B", "W"}};

  /** A buffer of rows as GroupedScoresFn holds it, with its own group numbering. */
  private static final class Buffer {
    /** Numbers the groups in reverse order, as another worker that met them in another order would. */
    final boolean reversed;
    final List<Double> scores = new ArrayList<>();
    final List<Boolean> positive = new ArrayList<>();
    final List<String[]> groups = new ArrayList<>();

    Buffer(boolean reversed) {
      this.reversed = reversed;
    }

    GroupedScores part() {
      int n = scores.size();
      double[] s = new double[n];
      boolean[] p = new boolean[n];
      int[][] codes = new int[GROUPS.length][n];
      List<List<String>> names = List.of(new ArrayList<>(), new ArrayList<>());
      if (reversed) {
        for (int g = 0; g < GROUPS.length; g++) {
          for (int k = GROUPS[g].length - 1; k >= 0; k--) {
            names.get(g).add(GROUPS[g][k]);
          }
        }
      }
      for (int i = 0; i < n; i++) {
        s[i] = scores.get(i);
        p[i] = positive.get(i);
        for (int g = 0; g < GROUPS.length; g++) {
          String name = groups.get(i)[g];
          if (name == null) {
            codes[g][i] = -1;
          } else {
            if (!names.get(g).contains(name)) {
              names.get(g).add(name);
            }
            codes[g][i] = names.get(g).indexOf(name);
          }
        }
      }
      return partOf(s, p, codes, names);
    }
  }

  /**
   * A part of all rows of a buffer given each row's group code per grouping ({@code rowCodes[grouping][row]}),
   * as {@code GroupedScoresFn} makes one from a batch: each distinct tuple of codes one combination.
   */
  static GroupedScores partOf(double[] s, boolean[] p, int[][] rowCodes, List<List<String>> names) {
    int[] rowCombination = new int[s.length];
    Map<List<Integer>, Integer> combinationOf = new HashMap<>();
    List<int[]> combinations = new ArrayList<>();
    for (int row = 0; row < s.length; row++) {
      int[] codes = new int[rowCodes.length];
      for (int g = 0; g < codes.length; g++) {
        codes[g] = rowCodes[g][row];
      }
      rowCombination[row] = combinationOf.computeIfAbsent(Arrays.stream(codes).boxed().toList(), k -> {
        combinations.add(codes);
        return combinations.size() - 1;
      });
    }
    return GroupedScores.of(s, p, rowCombination, combinations.toArray(new int[0][]), SortedScores.order(s, s.length),
        0, s.length, names);
  }

  /** Subgroup ("all" or grouping/group) to its histogram, as text. */
  private static Map<String, String> read(List<GroupedScores> parts) {
    Map<String, String> out = new TreeMap<>();
    GroupedScores.histograms(parts, GROUPS.length, h -> out.put("all", describe(h)),
        (g, group, h) -> out.put(g + "/" + group, describe(h)));
    return out;
  }

  private static String describe(ScoreHistogram h) {
    return Arrays.toString(h.scores()) + Arrays.toString(h.positives()) + Arrays.toString(h.negatives());
  }

  @Test
  void histogramsOfPartsEqualThoseOfEachSubgroupsRows() throws Exception {
    Random random = new Random(5);
    List<Buffer> buffers = List.of(new Buffer(false), new Buffer(true), new Buffer(false));
    Map<String, List<double[]>> rowsOf = new LinkedHashMap<>(); // subgroup -> (score, positive) rows
    for (int i = 0; i < 3000; i++) {
      // continuous scores and a tenth of the rows on 11 tied values
      double score = random.nextInt(10) == 0 ? random.nextInt(11) / 10.0 : random.nextDouble();
      boolean positive = random.nextInt(3) == 0;
      String[] groups = {random.nextInt(9) == 0 ? null : GROUPS[0][random.nextInt(2)],
          random.nextInt(7) == 0 ? null : GROUPS[1][random.nextInt(3)]};
      Buffer b = buffers.get(random.nextInt(3));
      b.scores.add(score);
      b.positive.add(positive);
      b.groups.add(groups);
      rowsOf.computeIfAbsent("all", k -> new ArrayList<>()).add(new double[] {score, positive ? 1 : 0});
      for (int g = 0; g < groups.length; g++) {
        if (groups[g] != null) {
          rowsOf.computeIfAbsent(g + "/" + groups[g], k -> new ArrayList<>()).add(new double[] {score, positive ? 1 : 0});
        }
      }
    }
    Map<String, String> expected = new TreeMap<>();
    rowsOf.forEach((key, rows) -> {
      double[] pos = rows.stream().filter(r -> r[1] == 1).mapToDouble(r -> r[0]).toArray();
      double[] neg = rows.stream().filter(r -> r[1] == 0).mapToDouble(r -> r[0]).toArray();
      expected.put(key, describe(ScoreHistogram.of(pos, pos.length, neg, neg.length)));
    });
    List<GroupedScores> parts = new ArrayList<>();
    buffers.forEach(b -> parts.add(b.part()));
    assertThat(read(parts), is(expected));
    // the same after a trip through the coder
    List<GroupedScores> decoded = new ArrayList<>();
    for (GroupedScores part : parts) {
      decoded.add(CoderUtils.clone(GroupedScores.Coder.of(), part));
    }
    assertThat(read(decoded), is(expected));
  }

  @Test
  void tiedRowsAreCountedOnce() {
    Buffer b = new Buffer(false);
    for (int i = 0; i < 10_000; i++) {
      b.scores.add(i % 2 == 0 ? 0.0 : 1.0);
      b.positive.add(i % 3 == 0);
      b.groups.add(new String[] {GROUPS[0][i % 2], i % 5 == 0 ? null : GROUPS[1][i % 3]});
    }
    GroupedScores part = b.part();
    // at most 2 scores x 2 targets x 2 sexes x 4 race values (3 and none)
    assertThat(part.size(), lessThanOrEqualTo(32));
    Map<String, String> h = read(List.of(part));
    // whole set: 5,000 rows at 0.0 (1,667 positive: i % 6 == 0) and 5,000 at 1.0 (1,667: i % 6 == 3)
    assertThat(h.get("all"), is("[0.0, 1.0][1667, 1667][3333, 3333]"));
  }

  /**
   * A part cut by segment gives, in ascending segment order, slices whose scores all lie in their segment
   * and whose histograms together equal the part's.
   */
  @Test
  void aPartCutBySegmentKeepsEveryEntryInItsSegment() {
    Random random = new Random(11);
    Buffer b = new Buffer(false);
    double[] all = new double[5000];
    for (int i = 0; i < all.length; i++) {
      all[i] = random.nextInt(4) == 0 ? random.nextInt(5) / 4.0 : random.nextDouble();
      b.scores.add(all[i]);
      b.positive.add(random.nextBoolean());
      b.groups.add(new String[] {GROUPS[0][random.nextInt(2)], GROUPS[1][random.nextInt(3)]});
    }
    GroupedScores part = b.part();
    SegmentLayout layout = SegmentLayout.of(all, 400);
    List<Integer> segments = new ArrayList<>();
    List<GroupedScores> slices = new ArrayList<>();
    part.bySegment(layout, (segment, slice) -> {
      segments.add(segment);
      slices.add(slice);
      for (String score : read(List.of(slice)).get("all").split("]")[0].substring(1).split(", ")) {
        assertThat(layout.segmentOf(Double.parseDouble(score)), is(segment));
      }
    });
    assertThat(segments.size(), greaterThan(5));
    for (int i = 1; i < segments.size(); i++) {
      assertThat(segments.get(i), greaterThan(segments.get(i - 1)));
    }
    assertThat(slices.stream().mapToInt(GroupedScores::size).sum(), is(part.size()));
    assertThat(read(slices), is(read(List.of(part))));
  }

  /**
   * The coder gives back every entry exactly in each of its forms: float or double scores, counts of 1 or
   * more, combinations coded in a byte or (300 groups, over 256 combinations) an int, rows in no group.
   */
  @Test
  void theCoderKeepsEveryEntryInEachForm() throws Exception {
    Random random = new Random(3);
    for (boolean floats : new boolean[] {true, false}) {
      for (boolean ties : new boolean[] {true, false}) {
        for (int groups : new int[] {3, 300}) {
          int n = 2000;
          double[] s = new double[n];
          boolean[] p = new boolean[n];
          int[][] codes = new int[2][n];
          List<List<String>> names = List.of(new ArrayList<>(), new ArrayList<>());
          for (int k = 0; k < groups; k++) {
            names.get(0).add("g" + k);
          }
          names.get(1).add("only");
          for (int i = 0; i < n; i++) {
            double score = ties ? random.nextInt(20) / 8.0 : random.nextDouble() * 2 - 1;
            s[i] = floats ? (float) score : score + 1e-12;
            p[i] = random.nextBoolean();
            codes[0][i] = random.nextInt(10) == 0 ? -1 : random.nextInt(groups);
            codes[1][i] = random.nextInt(2) - 1;
          }
          GroupedScores part = partOf(s, p, codes, names);
          byte[] encoded = CoderUtils.encodeToByteArray(GroupedScores.Coder.of(), part);
          GroupedScores decoded = CoderUtils.decodeFromByteArray(GroupedScores.Coder.of(), encoded);
          assertThat(CoderUtils.encodeToByteArray(GroupedScores.Coder.of(), decoded), is(encoded));
          Map<String, String> expected = new TreeMap<>();
          Map<String, String> actual = new TreeMap<>();
          GroupedScores.histograms(List.of(part), 2, h -> expected.put("all", describe(h)),
              (g, group, h) -> expected.put(g + "/" + group, describe(h)));
          GroupedScores.histograms(List.of(decoded), 2, h -> actual.put("all", describe(h)),
              (g, group, h) -> actual.put(g + "/" + group, describe(h)));
          assertThat(actual, is(expected));
          assertThat(actual.size(), greaterThan(groups / 2));
        }
      }
    }
  }
}
