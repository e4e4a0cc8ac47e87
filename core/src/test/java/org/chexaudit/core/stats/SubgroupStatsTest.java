package org.chexaudit.core.stats;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

/** Spec E2: subgroups at the global threshold 0.60 (pred = s >= op), sklearn recall_score/roc_auc_score. */
class SubgroupStatsTest {
  private static final double EPS = 1e-12;

  private static SubgroupStats group(String g) {
    int[] rows = Golden.rowsOf(Golden.G, g);
    return SubgroupStats.compute(Golden.pickY(rows), Golden.pickS(rows), 0.60);
  }

  @Test
  void goldenSubgroupsAtGlobalThreshold() {
    SubgroupStats w = group("W");
    assertThat(w.n(), is(12L));
    assertThat(w.auc(), closeTo(0.9375, EPS));
    assertThat(w.tpr(), closeTo(0.75, EPS));
    assertThat(w.fpr(), closeTo(0.25, EPS));
    SubgroupStats a = group("A");
    assertThat(a.n(), is(4L));
    assertThat(a.auc(), closeTo(1.0, EPS));
    assertThat(a.tpr(), is(0.0));
    assertThat(a.fpr(), is(0.0));
    SubgroupStats b = group("B");
    assertThat(b.auc(), closeTo(1.0, EPS));
    assertThat(b.tpr(), is(1.0));
    assertThat(b.fpr(), is(0.0));
    assertThat(b.note(), is(""));
  }

  @Test
  void wholeSetAtGlobalThreshold() {
    SubgroupStats all = SubgroupStats.compute(Golden.Y, Golden.S, 0.60);
    assertThat(all.positives(), is(7L));
    assertThat(all.negatives(), is(13L));
    assertThat(all.tpr(), closeTo(5 / 7.0, EPS));
    assertThat(all.fpr(), closeTo(2 / 13.0, EPS));
    assertThat(all.precision(), closeTo(5 / 7.0, EPS));
    assertThat(all.youden(), closeTo(5 / 7.0 - 2 / 13.0, EPS));
  }

  @Test
  void groupWithoutPositivesHasNaNAndNoteWhereOriginalReportsZero() {
    SubgroupStats s = SubgroupStats.compute(new int[] {0, 0, 0}, new double[] {0.7, 0.2, 0.9}, 0.6);
    assertThat(Double.isNaN(s.auc()), is(true));
    assertThat(Double.isNaN(s.tpr()), is(true));
    assertThat(s.fpr(), closeTo(2 / 3.0, EPS));
    assertThat(s.note(), is("no positives: AUC and TPR undefined"));
    // sklearn: recall_score([0,0,0], [1,0,1]) = 0.0 (with a warning): the original reports TPR 0
    assertThat(s.counts().sklearnTpr(), is(0.0));
  }

  @Test
  void groupWithoutNegativesReportsNaNFprWhereOriginalReportsOne() {
    SubgroupStats s = SubgroupStats.compute(new int[] {1, 1}, new double[] {0.7, 0.2}, 0.6);
    assertThat(Double.isNaN(s.fpr()), is(true));
    assertThat(s.tpr(), is(0.5));
    assertThat(s.note(), is("no negatives: AUC and FPR undefined"));
    // sklearn: 1 - recall_score([1,1], [1,0], pos_label=0) = 1.0
    assertThat(s.counts().sklearnFpr(), is(1.0));
  }

  @Test
  void insufficientGroupCarriesOnlySizes() {
    SubgroupStats s = SubgroupStats.insufficient(2, 3, 0.6);
    assertThat(s.n(), is(5L));
    assertThat(s.isInsufficient(), is(true));
    assertThat(Double.isNaN(s.tpr()), is(true));
    assertThat(s.note(), is(SubgroupStats.INSUFFICIENT_DATA));
  }
}
