package org.chexaudit.pipelines.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.chexaudit.core.stats.Correlation;

/**
 * The report's findings, generated from a run's tables only, answering the study's four questions:
 * can the models tell race and sex (from the images, and from frozen disease features: SPLIT); where
 * do TPR and FPR differ between subgroups at the operating point; do the embeddings differ between
 * groups (KS tests); does a group's gap follow its share of positives. An effect is called one only
 * when its 95% interval excludes "no effect" (AUC 0.5, a difference of 0) or its adjusted test rejects;
 * otherwise the finding says "no evidence". Negative-control labels are marked as controls.
 */
final class Findings {
  /** A TPR/FPR comparison needs this many positives (negatives) in each group to be stated at all. */
  static final int MIN_COUNT = 1;

  private final Set<String> controls;
  private final List<Finding> out = new ArrayList<>();

  private Findings(Set<String> controls) {
    this.controls = controls;
  }

  /**
   * @param controlLabels label names (as shown, e.g. "Fracture") that are negative controls
   */
  static List<Finding> of(List<MetricsStage> metrics, List<ExploreStage> explore, Set<String> controlLabels) {
    Findings f = new Findings(Set.copyOf(controlLabels));
    for (MetricsStage m : metrics) {
      if (m.task().equals("sex") || m.task().equals("race")) {
        f.encoding(m);
      }
    }
    for (MetricsStage m : metrics) {
      if (!m.task().equals("sex") && !m.task().equals("race")) {
        f.performance(m);
        f.gaps(m, "tpr", "positives", "TPR");
        f.gaps(m, "fpr", "negatives", "FPR");
        f.share(m);
      }
    }
    for (ExploreStage e : explore) {
      f.embedding(e);
    }
    List<Finding> sorted = new ArrayList<>(f.out);
    sorted.sort(Comparator.comparing(Finding::topic));
    return sorted;
  }

  private static String where(MetricsStage m) {
    String v = m.variant();
    if (v.isEmpty()) {
      return "from the images";
    }
    if (v.equals("split")) {
      return "from frozen disease features (SPLIT)";
    }
    return "from the images (" + v + ")";
  }

  private static String capitalised(String s) {
    return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
  }

  /** "Race is predictable from the images: AUC White 0.95 [0.93, 0.97], ...". */
  private void encoding(MetricsStage m) {
    CsvTable t = m.metrics();
    List<List<String>> rows = t.where(r -> t.get(r, "attribute").equals("all") && !t.get(r, "auc").isEmpty());
    if (rows.isEmpty()) {
      return;
    }
    boolean intervals = rows.stream().allMatch(r -> !t.get(r, "auc_lo").isEmpty());
    boolean any = intervals && rows.stream().anyMatch(r -> t.number(r, "auc_lo") > 0.5);
    Finding.Verdict verdict = !intervals ? Finding.Verdict.NO_INTERVAL
        : any ? Finding.Verdict.EVIDENCE : Finding.Verdict.NO_EVIDENCE;
    String attribute = capitalised(m.task());
    Finding.Builder b = Finding.builder(Finding.Topic.ENCODING).verdict(verdict)
        .links(Anchors.encodingFigure(), Anchors.metricsTable(m.name()))
        .estimate(rows.stream().mapToDouble(r -> t.number(r, "auc")).max().orElse(Double.NaN));
    b.text(verdict == Finding.Verdict.NO_EVIDENCE
        ? "No evidence that " + m.task() + " is predictable " + where(m) + ": AUC "
        : attribute + " is predictable " + where(m) + ": AUC ");
    for (int i = 0; i < rows.size(); i++) {
      List<String> r = rows.get(i);
      b.text((i > 0 ? "; " : "") + m.labelName(t.get(r, "label")) + " ");
      interval(b, t, r, "auc");
    }
    b.text(".");
    out.add(b.build());
  }

  /** "The model detects Pleural Effusion: AUC 0.87 [0.83, 0.90]", the negative control as a control. */
  private void performance(MetricsStage m) {
    CsvTable t = m.metrics();
    for (List<String> r : t.where(r -> t.get(r, "attribute").equals("all") && !t.get(r, "auc").isEmpty())) {
      String label = m.labelName(t.get(r, "label"));
      boolean control = controls.contains(label);
      boolean hasInterval = !t.get(r, "auc_lo").isEmpty();
      boolean evidence = hasInterval && t.number(r, "auc_lo") > 0.5;
      Finding.Builder b = Finding.builder(Finding.Topic.PERFORMANCE).control(control)
          .estimate(t.number(r, "auc") - 0.5)
          .verdict(!hasInterval ? Finding.Verdict.NO_INTERVAL
              : evidence ? Finding.Verdict.EVIDENCE : Finding.Verdict.NO_EVIDENCE)
          .links(Anchors.labelFigures(m.name(), t.get(r, "label")), Anchors.metricsTable(m.name()));
      String subject = label + (control ? " (negative control)" : "") + suffix(m);
      b.text(evidence ? "The model detects " + subject + ": AUC " : "No evidence that the model detects " + subject + ": AUC ");
      interval(b, t, r, "auc");
      b.text(" (n ").cited(t, r, "n", 0, MetricsStage.KEY).text(", ").cited(t, r, "positives", 0, MetricsStage.KEY)
          .text(" positives).");
      out.add(b.build());
    }
  }

  private static String suffix(MetricsStage m) {
    return m.variant().isEmpty() ? "" : " on the " + m.variant() + " test set";
  }

  /**
   * Each group against the attribute's largest group, per label: the difference of their rates at the
   * operating point with Newcombe's interval from the counts. Intersections are left to the figures.
   */
  private void gaps(MetricsStage m, String rate, String denominator, String rateName) {
    CsvTable t = m.metrics();
    if (!t.hasColumns("label", "attribute", "group", "n", denominator, rate)) {
      return;
    }
    Set<String> labels = new LinkedHashSet<>();
    t.rows().forEach(r -> labels.add(t.get(r, "label")));
    for (String label : labels) {
      Set<String> attributes = new LinkedHashSet<>();
      t.where(r -> t.get(r, "label").equals(label)).forEach(r -> attributes.add(t.get(r, "attribute")));
      for (String attribute : attributes) {
        if (attribute.equals("all") || attribute.contains("*")) {
          continue;
        }
        List<List<String>> groups = t.where(r -> t.get(r, "label").equals(label) && t.get(r, "attribute").equals(attribute)
            && !t.get(r, rate).isEmpty() && t.number(r, denominator) >= MIN_COUNT);
        if (groups.size() < 2) {
          continue;
        }
        List<String> ref = largest(t, groups);
        for (List<String> g : groups) {
          if (g != ref) {
            out.add(gap(m, t, g, ref, rate, denominator, rateName));
          }
        }
      }
    }
  }

  /** The reference group: the one with most rows, the first in table order on a tie. */
  private static List<String> largest(CsvTable t, List<List<String>> groups) {
    List<String> best = groups.get(0);
    for (List<String> g : groups) {
      if (t.number(g, "n") > t.number(best, "n")) {
        best = g;
      }
    }
    return best;
  }

  private Finding gap(MetricsStage m, CsvTable t, List<String> g, List<String> ref, String rate, String denominator,
      String rateName) {
    long n1 = Math.round(t.number(g, denominator));
    long n2 = Math.round(t.number(ref, denominator));
    NewcombeInterval ci = NewcombeInterval.of(Math.round(t.number(g, rate) * n1), n1,
        Math.round(t.number(ref, rate) * n2), n2);
    String label = m.labelName(t.get(g, "label"));
    boolean control = controls.contains(label);
    String group = t.get(g, "group");
    String refGroup = t.get(ref, "group");
    boolean evidence = !ci.containsZero();
    Finding.Builder b = Finding.builder(Finding.Topic.GAP).control(control).estimate(ci.difference())
        .verdict(evidence ? Finding.Verdict.EVIDENCE : Finding.Verdict.NO_EVIDENCE)
        .links(Anchors.ratesFigure(m.name(), t.get(g, "label"), t.get(g, "attribute")), Anchors.metricsTable(m.name()));
    String subject = label + (control ? " (negative control)" : "") + suffix(m);
    if (evidence) {
      b.text(m.thresholdPhrase() + ", " + group + " " + rateName + " for " + subject + " is ")
          .derived(Math.abs(ci.difference()), 2)
          .text(ci.difference() < 0 ? " below " : " above ").text(refGroup + ": ");
    } else {
      b.text("No evidence of " + (rateName.startsWith("F") ? "an " : "a ") + rateName + " gap between " + group + " and " + refGroup + " for " + subject
          + " (" + lowerFirst(m.thresholdPhrase()) + "): ");
    }
    b.cited(t, g, rate, 2, MetricsStage.KEY).text(" vs ").cited(t, ref, rate, 2, MetricsStage.KEY)
        .text(", difference ").derived(ci.difference(), 2).text(" [").derived(ci.lo(), 2).text(", ")
        .derived(ci.hi(), 2).text("].");
    return b.build();
  }

  private static String lowerFirst(String s) {
    return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
  }

  /** CheXclusion's question: across labels, does a group's TPR gap follow its share of positives? */
  private void share(MetricsStage m) {
    CsvTable d = m.disparity();
    if (d == null || !d.hasColumns("attribute", "tpr_gap", "share_of_positives")) {
      return;
    }
    Set<String> attributes = new LinkedHashSet<>();
    d.rows().forEach(r -> attributes.add(d.get(r, "attribute")));
    for (String attribute : attributes) {
      if (attribute.contains("*")) {
        continue;
      }
      List<List<String>> rows = shareRows(d, attribute);
      if (rows.size() < 3) {
        continue;
      }
      Correlation c = gapShareCorrelation(d, rows);
      if (Double.isNaN(c.r())) {
        continue;
      }
      boolean evidence = c.p() < 0.05;
      Finding.Builder b = Finding.builder(Finding.Topic.SHARE).estimate(c.r())
          .verdict(evidence ? Finding.Verdict.EVIDENCE : Finding.Verdict.NO_EVIDENCE)
          .links(Anchors.shareFigure(m.name(), attribute), Anchors.disparityTable(m.name()));
      b.text((evidence ? "By " + attribute + ", a group's TPR gap follows its share of positives"
          : "No evidence that a group's TPR gap follows its share of positives by " + attribute)
          + suffix(m) + ": Pearson r ").derived(c.r(), 2).text(" (p ").derivedP(c.p())
          .text(", " + rows.size() + " label-group pairs).");
      out.add(b.build());
    }
  }

  /** The disparity rows of one attribute with both a TPR gap and a share of positives. */
  static List<List<String>> shareRows(CsvTable d, String attribute) {
    return d.where(r -> d.get(r, "attribute").equals(attribute) && !d.get(r, "tpr_gap").isEmpty()
        && !d.get(r, "share_of_positives").isEmpty());
  }

  /** Pearson r (and p) of TPR gap against share of positives over {@code rows} (at least 3). */
  static Correlation gapShareCorrelation(CsvTable d, List<List<String>> rows) {
    double[] gap = rows.stream().mapToDouble(r -> d.number(r, "tpr_gap")).toArray();
    double[] share = rows.stream().mapToDouble(r -> d.number(r, "share_of_positives")).toArray();
    return Correlation.pearson(share, gap);
  }

  /** "PCA mode 1 differs between Black and White patients (KS D 0.21, BY-adjusted p 0.003)". */
  private void embedding(ExploreStage e) {
    CsvTable t = e.ks();
    if (!t.hasColumns("feature", "comparison", "D", "p_adjusted", "rejected")) {
      return;
    }
    for (List<String> r : t.rows()) {
      String[] groups = t.get(r, "comparison").split(" vs ", 2);
      String between = groups.length == 2 ? groups[0] + " and " + groups[1] : t.get(r, "comparison");
      boolean rejected = Boolean.parseBoolean(t.get(r, "rejected"));
      Finding.Builder b = Finding.builder(Finding.Topic.EMBEDDING).estimate(t.number(r, "D"))
          .verdict(rejected ? Finding.Verdict.EVIDENCE : Finding.Verdict.NO_EVIDENCE)
          .links(Anchors.embeddingFigures(e.name()), Anchors.ksTable(e.name()));
      b.text(rejected ? t.get(r, "feature") + " differs between " + between + " patients (KS D "
          : "No evidence that " + t.get(r, "feature") + " differs between " + between + " patients (KS D ")
          .cited(t, r, "D", 2, "feature", "comparison").text(", BY-adjusted p ")
          .citedP(t, r, "p_adjusted", "feature", "comparison").text(").");
      out.add(b.build());
    }
  }

  private static void interval(Finding.Builder b, CsvTable t, List<String> r, String column) {
    b.cited(t, r, column, 2, MetricsStage.KEY);
    if (!t.get(r, column + "_lo").isEmpty() && !t.get(r, column + "_hi").isEmpty()) {
      b.text(" [").cited(t, r, column + "_lo", 2, MetricsStage.KEY).text(", ")
          .cited(t, r, column + "_hi", 2, MetricsStage.KEY).text("]");
    }
  }
}
