package org.chexaudit.core.stats;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected thresholds from sklearn 1.2.1 roc_curve / precision_recall_curve (spec E2, B5). */
class ThresholdRuleTest {

  @Test
  void fprRuleOnDroppedCurvePicksSixtyHundredths() {
    assertThat(FprTargetRule.of(0.2).choose(Golden.Y, Golden.S), is(0.60));
  }

  @Test
  void fprRuleOnFullCurvePicksHalf() {
    assertThat(FprTargetRule.of(0.2).withDropIntermediate(false).choose(Golden.Y, Golden.S), is(0.50));
  }

  @Test
  void fprRuleWithTies() {
    // th[np.argmin(np.abs(fpr - 0.3))] on roc_curve(yt, st) = 0.7
    assertThat(FprTargetRule.of(0.3).choose(Golden.YT, Golden.ST), is(0.7));
  }

  @Test
  void youdenFirstMaximum() {
    assertThat(YoudenRule.create().choose(Golden.Y, Golden.S), is(0.65));
    assertThat(YoudenRule.create().choose(Golden.YT, Golden.ST), is(0.9));
  }

  @Test
  void maxF1TakesLowestThresholdAmongTies() {
    // E2: max F1 0.8333 at 0.65
    assertThat(MaxF1Rule.create().choose(Golden.Y, Golden.S), is(0.65));
    // ties sample: f1 = [0.667, 0.706, 0.667, 0.615, 0.4, 0.444, 0] over t = [.1,.2,.3,.5,.7,.9]
    assertThat(MaxF1Rule.create().choose(Golden.YT, Golden.ST), is(0.2));
    PrecisionRecallCurve pr = PrecisionRecallCurve.of(Golden.YT, Golden.ST);
    assertArrayEquals(new double[] {0.1, 0.2, 0.3, 0.5, 0.7, 0.9}, pr.thresholds(), 0);
    assertArrayEquals(new double[] {0.5, 0.5454545454545454, 0.5555555555555556, 0.5714285714285714, 0.5,
        0.6666666666666666, 1}, pr.precision(), 1e-15);
    assertArrayEquals(new double[] {0.6666666666666666, 0.7058823529411764, 0.6666666666666667,
        0.6153846153846153, 0.4, 0.4444444444444444, 0}, pr.f1(), 1e-15);
  }

  @Test
  void maxF1IgnoresNaN() {
    // top score is a negative: p = r = 0 there, F1 NaN; the max is still found
    int[] y = {0, 1, 0};
    double[] s = {0.9, 0.5, 0.1};
    double[] f1 = PrecisionRecallCurve.of(y, s).f1();
    assertThat(Double.isNaN(f1[2]), is(true));
    assertThat(MaxF1Rule.create().choose(y, s), is(0.5));
  }

  @Test
  void fixedValueAndParse() {
    assertThat(ThresholdRule.parse("value:0.3").choose(Golden.Y, Golden.S), is(0.3));
    assertThat(ThresholdRule.parse("fpr").choose(Golden.Y, Golden.S), is(0.60));
    assertThat(ThresholdRule.parse("fpr:0.2").describe(), is("fpr:0.2"));
    assertThat(ThresholdRule.parse("youden").choose(Golden.Y, Golden.S), is(0.65));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ThresholdRule.parse("fpr:x"));
    assertThat(e.getMessage(), containsString("'x' is not a number"));
    assertThrows(IllegalArgumentException.class, () -> ThresholdRule.parse("best"));
  }

  @Test
  void perGroupThresholdsByTrueOrPredictedGroup() {
    Map<String, Double> t = GroupThresholds.choose(Golden.Y, Golden.S, Golden.G, FprTargetRule.of(0.2));
    // per-group roc_curve + argmin |fpr-0.2|: W -> 0.6 (fpr .25); A, B -> index 0 (sklearn 1.2: max+1)
    assertThat(t.get("W"), is(0.6));
    assertThat(t.get("A"), is(Double.POSITIVE_INFINITY));
    assertThat(t.get("B"), is(Double.POSITIVE_INFINITY));
    double[] perRow = GroupThresholds.perRow(t, Golden.G);
    ConfusionCounts c = GroupThresholds.counts(Golden.Y, Golden.S, perRow);
    // only W rows can be positive: W scores >= 0.6 are 0.9, 0.65, 0.95 (y=1) and 0.6, 0.6 (y=0)
    assertThat(c.tp(), is(3.0));
    assertThat(c.fp(), is(2.0));
    String[] predicted = Golden.G.clone();
    predicted[3] = "W"; // row 3 (B, y=1, s=0.8) thresholded as if predicted White
    assertThat(GroupThresholds.counts(Golden.Y, Golden.S, GroupThresholds.perRow(t, predicted)).tp(), is(4.0));
    assertThrows(IllegalArgumentException.class, () -> GroupThresholds.perRow(t, new String[] {"X"}));
  }
}
