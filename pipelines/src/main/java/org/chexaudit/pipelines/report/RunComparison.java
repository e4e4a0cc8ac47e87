package org.chexaudit.pipelines.report;

import java.io.IOException;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.chexaudit.transforms.io.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Two runs side by side ({@code report --compare=RUN_B}): for every metrics stage both runs have (same
 * folder under the run), each label, attribute and group's AUC, TPR and FPR in run A and run B with their
 * intervals, the difference B − A, and whether the two intervals overlap. Non-overlapping intervals are
 * listed first; overlapping ones are not called a difference.
 */
final class RunComparison {
  static final List<String> MEASURES = List.of("auc", "tpr", "fpr");

  /** One measure of one row in both runs. */
  record Pair(String stage, String label, String attribute, String group, String measure, double a, double aLo,
      double aHi, double b, double bLo, double bHi) {
    boolean hasIntervals() {
      return !Double.isNaN(aLo) && !Double.isNaN(aHi) && !Double.isNaN(bLo) && !Double.isNaN(bHi);
    }

    boolean overlap() {
      return aLo <= bHi && bLo <= aHi;
    }
  }

  private RunComparison() {}

  static List<Pair> pairs(MetricsStage a, MetricsStage b) {
    CsvTable ta = a.metrics();
    CsvTable tb = b.metrics();
    Map<List<String>, List<String>> bRows = new HashMap<>();
    tb.rows().forEach(r -> bRows.put(List.copyOf(tb.key(r, MetricsStage.KEY).values()), r));
    List<Pair> out = new ArrayList<>();
    for (List<String> ra : ta.rows()) {
      List<String> key = List.copyOf(ta.key(ra, MetricsStage.KEY).values());
      List<String> rb = bRows.get(key);
      if (rb == null) {
        continue;
      }
      for (String m : MEASURES) {
        if (ta.get(ra, m).isEmpty() || tb.get(rb, m).isEmpty()) {
          continue;
        }
        out.add(new Pair(a.name(), key.get(0), key.get(1), key.get(2), m, ta.number(ra, m), ta.number(ra, m + "_lo"),
            ta.number(ra, m + "_hi"), tb.number(rb, m), tb.number(rb, m + "_lo"), tb.number(rb, m + "_hi")));
      }
    }
    return out;
  }

  static String html(ResourceId runA, ResourceId runB, List<String> stageOrder) throws IOException {
    StringBuilder h = new StringBuilder("<h2 id=\"compare\">Comparison with another run</h2>\n<p>Run A: <code>")
        .append(HtmlReport.esc(Resources.path(runA))).append("</code>; run B: <code>")
        .append(HtmlReport.esc(Resources.path(runB))).append("</code>. Each metrics stage present in")
        .append(" both, row by row; \"intervals overlap: no\" marks a difference the bootstrap intervals support.</p>\n");
    Map<String, MetricsStage> inB = new HashMap<>();
    for (ResourceId s : HtmlReport.stages(runB, stageOrder)) {
      if (MetricsStage.isOne(s)) {
        MetricsStage m = MetricsStage.read(runB, s);
        inB.put(m.name(), m);
      }
    }
    boolean any = false;
    for (ResourceId s : HtmlReport.stages(runA, stageOrder)) {
      if (!MetricsStage.isOne(s)) {
        continue;
      }
      MetricsStage a = MetricsStage.read(runA, s);
      MetricsStage b = inB.get(a.name());
      if (b == null) {
        continue;
      }
      any = true;
      List<Pair> pairs = new ArrayList<>(pairs(a, b));
      pairs.sort((x, y) -> Boolean.compare(!x.hasIntervals() || x.overlap(), !y.hasIntervals() || y.overlap()));
      long apart = pairs.stream().filter(p -> p.hasIntervals() && !p.overlap()).count();
      h.append("<h3>").append(HtmlReport.esc(a.name())).append("</h3>\n<div class=\"grid\">\n");
      pairs.stream().map(Pair::label).distinct().forEach(label -> h.append(Charts.compare(a, b, label).html()));
      h.append("</div>\n<p>").append(apart).append(" of ")
          .append(pairs.size()).append(" measures have non-overlapping intervals")
          .append(a.thresholdRule().equals(b.thresholdRule()) ? "" : " (threshold rules differ: A "
              + HtmlReport.esc(a.thresholdRule()) + ", B " + HtmlReport.esc(b.thresholdRule()) + ")")
          .append(".</p>\n<details").append(apart > 0 ? " open" : "").append("><summary>").append(pairs.size())
          .append(" rows</summary><table><tr><th>label</th><th>attribute</th><th>group</th><th>measure</th>")
          .append("<th>A</th><th>B</th><th>B − A</th><th>intervals overlap</th></tr>\n");
      for (Pair p : pairs) {
        h.append("<tr><td>").append(HtmlReport.esc(a.labelName(p.label()))).append("</td><td>")
            .append(HtmlReport.esc(p.attribute())).append("</td><td>").append(HtmlReport.esc(p.group())).append("</td><td>")
            .append(p.measure().toUpperCase(Locale.ROOT)).append("</td><td>").append(value(p.a(), p.aLo(), p.aHi()))
            .append("</td><td>").append(value(p.b(), p.bLo(), p.bHi())).append("</td><td>")
            .append(Finding.format(p.b() - p.a(), 3)).append("</td><td>")
            .append(!p.hasIntervals() ? "no intervals" : p.overlap() ? "yes" : "<b>no</b>").append("</td></tr>\n");
      }
      h.append("</table></details>\n");
    }
    if (!any) {
      h.append("<p>The two runs have no metrics stage in common.</p>\n");
    }
    return h.toString();
  }

  private static String value(double v, double lo, double hi) {
    return Finding.format(v, 3) + (Double.isNaN(lo) || Double.isNaN(hi) ? ""
        : " [" + Finding.format(lo, 3) + ", " + Finding.format(hi, 3) + "]");
  }
}
