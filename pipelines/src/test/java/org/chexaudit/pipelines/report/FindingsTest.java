package org.chexaudit.pipelines.report;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Findings from small tables with known effects: a planted TPR gap, a negative control, SPLIT, KS. */
class FindingsTest {
  private static final String HEADER =
      "label,attribute,group,n,positives,negatives,auc,threshold,tpr,fpr,auc_lo,auc_hi,tpr_lo,tpr_hi,fpr_lo,fpr_hi\n";

  /** Pleural Effusion (class_10): Female TPR 0.50 of 40 vs Male 0.80 of 60. Fracture (class_12): equal TPR. */
  private static MetricsStage disease() {
    CsvTable metrics = CsvTable.of("metrics/disease/metrics.csv", HEADER
        + "class_10,all,all,400,100,300,0.85,0.4,0.68,0.2,0.8,0.9,,,,\n"
        + "class_10,sex,Female,200,40,160,0.8,0.4,0.5,0.2,,,,,,\n"
        + "class_10,sex,Male,220,60,160,0.9,0.4,0.8,0.2,,,,,,\n"
        + "class_12,all,all,400,100,300,0.51,0.4,0.6,0.2,0.45,0.57,,,,\n"
        + "class_12,sex,Female,200,40,160,0.5,0.4,0.6,0.2,,,,,,\n"
        + "class_12,sex,Male,220,60,160,0.52,0.4,0.6,0.2,,,,,,\n");
    CsvTable disparity = CsvTable.of("metrics/disease/disparity.csv",
        "label,attribute,group,tpr,tpr_gap,share_of_positives\n"
            + "class_0,sex,Female,0.5,-0.2,0.2\nclass_0,sex,Male,0.9,0.2,0.8\n"
            + "class_10,sex,Female,0.5,-0.15,0.4\nclass_10,sex,Male,0.8,0.15,0.6\n"
            + "class_12,sex,Female,0.6,-0.05,0.45\nclass_12,sex,Male,0.6,0.05,0.55\n");
    return new MetricsStage("metrics/disease", "fpr:0.2", metrics, disparity, null);
  }

  private static MetricsStage sex(String name, String aucLo, String aucHi) {
    return new MetricsStage(name, "fpr:0.2", CsvTable.of(name + "/metrics.csv", HEADER
        + "class_1,all,all,400,200,200,0.9," + "0.5,0.8,0.2," + aucLo + "," + aucHi + ",,,,\n"), null, null);
  }

  private static ExploreStage explore() {
    return new ExploreStage("explore", null, CsvTable.of("explore/ks_tests.csv",
        "feature,comparison,n1,n2,D,p,p_adjusted,rejected\n"
            + "PCA Mode 1,Black vs White,100,100,0.21,0.0001,0.003,true\n"
            + "PCA Mode 2,Female vs Male,100,100,0.05,0.8,1.0,false\n"));
  }

  private static List<Finding> findings() {
    return Findings.of(List.of(disease(), sex("metrics/sex", "0.85", "0.95"), sex("metrics/sex-split", "0.45", "0.62")),
        List.of(explore()), Set.of("Fracture"));
  }

  @Test
  void plantedTprGapIsAFindingWithTheRightSignAndItsIntervalExcludesZero() {
    List<Finding> gaps = findings().stream()
        .filter(f -> f.topic() == Finding.Topic.GAP && f.text().contains("TPR for Pleural Effusion"))
        .toList();
    assertThat(gaps, hasSize(1));
    Finding f = gaps.get(0);
    assertThat(f.verdict(), is(Finding.Verdict.EVIDENCE));
    assertThat(f.estimate(), lessThan(0.0));
    assertThat(f.text(), startsWith("At the global threshold (FPR 0.20), Female TPR for Pleural Effusion is 0.30 below Male:"));
    NewcombeInterval ci = NewcombeInterval.of(20, 40, 48, 60);
    assertThat(f.text(), containsString("0.50 vs 0.80, difference -0.30 [" + Finding.format(ci.lo(), 2) + ", "
        + Finding.format(ci.hi(), 2) + "]"));
    assertThat(f.figure(), is("fig-rates-metrics_disease-class_10-sex"));
  }

  @Test
  void negativeControlIsAControlWithNoEvidence() {
    List<Finding> control = findings().stream().filter(Finding::control).toList();
    assertThat(control, not(empty()));
    for (Finding f : control) {
      assertThat(f.text(), containsString("Fracture (negative control)"));
      assertThat(f.text(), f.verdict(), is(Finding.Verdict.NO_EVIDENCE));
      assertThat(f.text(), startsWith("No evidence"));
    }
  }

  @Test
  void equalFprsAreNoEvidenceOfAGap() {
    List<Finding> fpr = findings().stream().filter(f -> f.topic() == Finding.Topic.GAP
        && f.numbers().stream().anyMatch(n -> n.cite() != null && n.cite().column().equals("fpr"))).toList();
    assertThat(fpr, hasSize(2));
    fpr
        .forEach(f -> assertThat(f.text(), f.verdict(), is(Finding.Verdict.NO_EVIDENCE)));
  }

  @Test
  void encodingFromImagesAndFromFrozenFeatures() {
    List<String> enc = findings().stream().filter(f -> f.topic() == Finding.Topic.ENCODING).map(Finding::text).toList();
    assertThat(enc, contains(
        "Sex is predictable from the images: AUC Female 0.90 [0.85, 0.95].",
        "No evidence that sex is predictable from frozen disease features (SPLIT): AUC Female 0.90 [0.45, 0.62]."));
  }

  @Test
  void ksFindingsFollowTheAdjustedTest() {
    List<String> ks = findings().stream().filter(f -> f.topic() == Finding.Topic.EMBEDDING).map(Finding::text).toList();
    assertThat(ks, contains(
        "PCA Mode 1 differs between Black and White patients (KS D 0.21, BY-adjusted p 0.0030).",
        "No evidence that PCA Mode 2 differs between Female and Male patients (KS D 0.05, BY-adjusted p 1.000)."));
  }

  @Test
  void gapFollowsShareIsAPearsonCorrelation() {
    Finding f = findings().stream().filter(x -> x.topic() == Finding.Topic.SHARE).findFirst().orElseThrow();
    double r = org.chexaudit.core.stats.Correlation.pearson(new double[] {0.2, 0.8, 0.4, 0.6, 0.45, 0.55},
        new double[] {-0.2, 0.2, -0.15, 0.15, -0.05, 0.05}).r();
    assertThat(f.text(), containsString("Pearson r " + Finding.format(r, 2)));
    assertThat(f.verdict(), is(Finding.Verdict.EVIDENCE));
  }

  @Test
  void everyNumberInAFindingCitesItsCellOrIsDerived() {
    for (Finding f : findings()) {
      for (Finding.Number n : f.numbers()) {
        if (n.cite() != null) {
          assertThat(f.text(), Double.parseDouble(n.cite().raw()), is(n.value()));
        }
      }
    }
  }
}
