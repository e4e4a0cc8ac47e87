package org.chexaudit.core.stats;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SortedScoresTest {
  @Test
  void orderIsAscendingAndStable() {
    SplittableRandom r = new SplittableRandom(3);
    for (int n : new int[] {0, 1, 2, 17, 5000}) {
      double[] s = new double[n];
      for (int i = 0; i < n; i++) {
        s[i] = switch (i % 4) {
          case 0 -> Math.round(r.nextDouble() * 20) / 20.0; // ties
          case 1 -> -r.nextDouble() * 1e6;
          case 2 -> (float) r.nextDouble();
          default -> r.nextDouble() * 1e-300;
        };
      }
      assertOrderIsDoubleCompares("n=" + n, s);
    }
  }

  /** All floats: the 32-bit path, with ties, both zeros, negatives, subnormals and infinities. */
  @Test
  void floatScoresSortAsDoubles() {
    SplittableRandom r = new SplittableRandom(5);
    for (int n : new int[] {1, 3, 4096, 70000}) {
      double[] s = new double[n];
      for (int i = 0; i < n; i++) {
        s[i] = switch (i % 7) {
          case 0 -> (float) (Math.round(r.nextDouble() * 20) / 20.0);
          case 1 -> (float) (-r.nextDouble() * 1e6);
          case 2 -> i % 2 == 0 ? -0.0 : 0.0;
          case 3 -> Float.MIN_VALUE * r.nextInt(1, 100);
          case 4 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
          default -> (float) r.nextDouble();
        };
      }
      assertOrderIsDoubleCompares("n=" + n, s);
    }
  }

  /**
   * Doubles that round to the same float, in descending order within each float: few per float (put right
   * by the insertion within runs) and thousands per float (more moves than allowed: the 64-bit sort).
   */
  @Test
  void scoresEqualAsFloatsKeepTheirExactOrder() {
    SplittableRandom r = new SplittableRandom(6);
    for (int perFloat : new int[] {2, 3, 5000}) {
      int n = 15000;
      double[] s = new double[n];
      for (int i = 0; i < n; i++) {
        double f = (float) r.nextDouble();
        s[i] = perFloat == 5000
            ? 0.5 + Math.ulp(0.5) * (n - i) // all within one float of 0.5
            : f + Math.ulp(f) * (perFloat - 1 - i % perFloat);
      }
      assertOrderIsDoubleCompares("per float " + perFloat, s);
    }
  }

  /** {@link SortedScores#order} of all of {@code s} is the stable sort of the row indices by {@link Double#compare}. */
  private static void assertOrderIsDoubleCompares(String reason, double[] s) {
    int n = s.length;
    int[] order = SortedScores.order(s, n);
    Integer[] expected = new Integer[n];
    for (int i = 0; i < n; i++) {
      expected[i] = i;
    }
    Arrays.sort(expected, (a, b) -> Double.compare(s[a], s[b]));
    assertThat(reason, Arrays.stream(order).boxed().toArray(Integer[]::new), is(expected));
  }

  @Test
  void builderEqualsScoreHistogramOf() {
    SplittableRandom r = new SplittableRandom(4);
    int n = 3000;
    double[] s = new double[n];
    boolean[] y = new boolean[n];
    double[] pos = new double[n];
    double[] neg = new double[n];
    int np = 0;
    int nn = 0;
    for (int i = 0; i < n; i++) {
      s[i] = Math.round(r.nextDouble() * 500) / 500.0;
      y[i] = r.nextInt(4) == 0;
      if (y[i]) pos[np++] = s[i]; else neg[nn++] = s[i];
    }
    SortedScores.Builder b = new SortedScores.Builder();
    for (int i : SortedScores.order(s, n)) {
      b.add(s[i], y[i]);
    }
    ScoreHistogram got = b.build();
    ScoreHistogram want = ScoreHistogram.of(pos, np, neg, nn);
    assertThat(got.scores(), is(want.scores()));
    assertThat(got.positives(), is(want.positives()));
    assertThat(got.negatives(), is(want.negatives()));
  }

  /**
   * A histogram built with small counts (a byte each) and the same built with long arrays answer alike: every
   * count, totals, slices, merges, counts at a threshold and the curve; a count above 127 keeps the long form.
   */
  @Test
  void smallCountsAnswerAsLongCounts() {
    SplittableRandom r = new SplittableRandom(8);
    for (int maxCount : new int[] {1, 127, 128, 5000}) {
      SortedScores.Builder b = new SortedScores.Builder();
      double score = 0;
      for (int i = 0; i < 400; i++) {
        score += r.nextDouble();
        b.add(score, r.nextInt(maxCount + 1), i == 200 ? maxCount : 1 + r.nextInt(maxCount));
      }
      ScoreHistogram built = b.build();
      ScoreHistogram wide = new ScoreHistogram(built.scores().clone(), built.positives().clone(), built.negatives().clone());
      assertThat(java.util.Arrays.stream(wide.negatives()).max().getAsLong(), is((long) maxCount));
      assertThat("maxCount " + maxCount, built.positives() == built.positives(), is(maxCount > 127));
      for (int i = 0; i < built.size(); i++) {
        assertThat(built.positivesAt(i), is(wide.positivesAt(i)));
        assertThat(built.negativesAt(i), is(wide.negativesAt(i)));
      }
      assertThat(built.totalPositives(), is(wide.totalPositives()));
      assertThat(built.totalNegatives(), is(wide.totalNegatives()));
      assertThat(built.countsAtOrAbove(score / 2), is(wide.countsAtOrAbove(score / 2)));
      assertThat(built.slice(10, 300).negatives(), is(wide.slice(10, 300).negatives()));
      ScoreHistogram merged = built.merge(built.slice(0, 50));
      ScoreHistogram mergedWide = wide.merge(wide.slice(0, 50));
      assertThat(merged.positives(), is(mergedWide.positives()));
      assertThat(ScoreHistogram.mergeAll(java.util.List.of(built, wide)).negatives(),
          is(ScoreHistogram.mergeAll(java.util.List.of(wide, wide)).negatives()));
      assertThat(built.curve().truePositives(), is(wide.curve().truePositives()));
      assertThat(built.curve().falsePositives(), is(wide.curve().falsePositives()));
      assertThat(built.calibration(1) == null, is(true)); // scores above 1: no calibration, either form
    }
  }
}
