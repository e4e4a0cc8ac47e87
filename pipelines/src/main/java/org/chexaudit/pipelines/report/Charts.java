package org.chexaudit.pipelines.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The report's figures as ECharts options, built from a run's tables: TPR and FPR per subgroup with
 * their bootstrap intervals on a categorical axis, CheXclusion's per-label TPR gaps, gap against share
 * of positives, reliability diagrams, ROC curves per subgroup, AUCs of the race and sex models, and
 * training curves. Points of different groups are never joined by lines.
 */
final class Charts {
  private Charts() {}

  private static ObjectNode base(String title, String subtitle) {
    ObjectNode o = Chart.JSON.createObjectNode();
    ObjectNode t = o.putObject("title").put("text", title).put("left", "center");
    t.putObject("textStyle").put("fontSize", 14);
    if (subtitle != null) {
      t.put("subtext", subtitle);
    }
    o.putObject("legend").put("top", subtitle == null ? 26 : 44).put("type", "scroll");
    o.putObject("grid").put("top", subtitle == null ? 64 : 82).put("left", 56).put("right", 24).put("bottom", 56)
        .put("containLabel", true);
    o.put("animation", false);
    o.putObject("toolbox").putObject("feature").putObject("saveAsImage").put("title", "PNG");
    return o;
  }

  private static ObjectNode axis(ObjectNode o, String which, String type, String name) {
    ObjectNode a = o.putObject(which).put("type", type).put("name", name).put("nameLocation", "middle")
        .put("nameGap", which.equals("xAxis") ? 30 : 40);
    if (type.equals("value")) {
      a.put("scale", false);
    }
    return a;
  }

  private static ArrayNode categories(ObjectNode axis, List<String> names) {
    // every category labelled (ECharts would skip some), slanted when there are many
    axis.putObject("axisLabel").put("interval", 0).put("rotate", names.size() > 4 ? 30 : 0);
    ArrayNode data = axis.putArray("data");
    names.forEach(data::add);
    return data;
  }

  /** A point series with hover text showing value, interval and counts, and a whisker series beside it. */
  private static void pointsWithIntervals(ArrayNode series, String name, List<double[]> points, List<String> extra,
      int offset) {
    // series side by side within a category, so that their intervals do not hide each other
    ObjectNode s = series.addObject().put("name", name).put("type", "scatter").put("symbolSize", 10);
    s.putArray("symbolOffset").add(offset).add(0);
    s.putObject("tooltip").put("formatter", "ciTooltip");
    ArrayNode data = s.putArray("data");
    ObjectNode bars = series.addObject().put("name", name).put("type", "custom").put("renderItem", "errorBar");
    bars.putObject("tooltip").put("show", false);
    ObjectNode enc = bars.putObject("encode");
    enc.putArray("x").add(0);
    enc.putArray("y").add(1).add(2);
    ArrayNode barData = bars.putArray("data");
    for (int i = 0; i < points.size(); i++) {
      double[] p = points.get(i);
      if (Double.isNaN(p[1])) {
        continue;
      }
      ObjectNode d = data.addObject();
      d.putArray("value").add(p[0]).add(p[1]);
      if (!Double.isNaN(p[2])) {
        d.put("lo", p[2]).put("hi", p[3]);
        barData.addArray().add(p[0]).add(p[2]).add(p[3]).add(offset);
      }
      d.put("extra", extra.get(i));
    }
  }

  /** TPR and FPR of each group of one attribute for one label, at the stage's operating point. */
  static Chart rates(MetricsStage m, String label, String attribute) {
    CsvTable t = m.metrics();
    List<List<String>> rows = t.where(r -> t.get(r, "label").equals(label) && t.get(r, "attribute").equals(attribute));
    List<String> groups = rows.stream().map(r -> t.get(r, "group")).toList();
    int offset = -6;
    ObjectNode o = base(m.labelName(label) + ": TPR and FPR by " + attribute,
        m.name() + ", " + m.thresholdPhrase().toLowerCase(Locale.ROOT).replace("at the ", "") + ", 95% intervals");
    categories(axis(o, "xAxis", "category", attribute), groups);
    axis(o, "yAxis", "value", "rate").put("min", 0).put("max", 1);
    o.putObject("tooltip").put("trigger", "item");
    ArrayNode series = o.putArray("series");
    for (String rate : List.of("tpr", "fpr")) {
      List<double[]> pts = new ArrayList<>();
      List<String> extra = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        List<String> r = rows.get(i);
        pts.add(new double[] {i, t.number(r, rate), t.number(r, rate + "_lo"), t.number(r, rate + "_hi")});
        extra.add("n " + t.get(r, "n") + ", positives " + t.get(r, "positives") + ", negatives " + t.get(r, "negatives"));
      }
      pointsWithIntervals(series, rate.toUpperCase(Locale.ROOT), pts, extra, offset);
      offset += 12;
    }
    return new Chart(Anchors.ratesFigure(m.name(), label, attribute), 340, o);
  }

  /** AUC of each class of the race and sex models (from the images and SPLIT), with intervals. */
  static Chart encoding(List<MetricsStage> stages) {
    List<String> classes = new ArrayList<>();
    for (MetricsStage m : stages) {
      CsvTable t = m.metrics();
      t.where(r -> t.get(r, "attribute").equals("all"))
          .forEach(r -> addOnce(classes, m.task() + ": " + m.labelName(t.get(r, "label"))));
    }
    ObjectNode o = base("Can the models tell race and sex?", "AUC per class on the test set, 95% intervals; 0.5 is chance");
    categories(axis(o, "xAxis", "category", "class"), classes);
    axis(o, "yAxis", "value", "AUC").put("min", 0).put("max", 1);
    o.putObject("tooltip").put("trigger", "item");
    ArrayNode series = o.putArray("series");
    int offset = -6 * (stages.size() - 1);
    for (MetricsStage m : stages) {
      CsvTable t = m.metrics();
      List<double[]> pts = new ArrayList<>();
      List<String> extra = new ArrayList<>();
      for (List<String> r : t.where(r -> t.get(r, "attribute").equals("all"))) {
        pts.add(new double[] {classes.indexOf(m.task() + ": " + m.labelName(t.get(r, "label"))), t.number(r, "auc"),
            t.number(r, "auc_lo"), t.number(r, "auc_hi")});
        extra.add(m.name() + ", n " + t.get(r, "n"));
      }
      pointsWithIntervals(series, m.variant().equals("split") ? m.task() + " from frozen disease features (SPLIT)"
          : m.task() + " from the images" + (m.variant().isEmpty() ? "" : " (" + m.variant() + ")"), pts, extra, offset);
      offset += 12;
    }
    ObjectNode chance = series.addObject().put("name", "chance").put("type", "line").put("symbol", "none");
    chance.putObject("lineStyle").put("type", "dashed").put("color", "#999");
    chance.putArray("data");
    chance.putObject("markLine").put("silent", true).put("symbol", "none").putArray("data").addObject().put("yAxis", 0.5);
    return new Chart(Anchors.encodingFigure(), 380, o);
  }

  /** CheXclusion's figure: per label, each group's TPR gap; marker area proportional to its share of positives. */
  static Chart gaps(MetricsStage m, String attribute) {
    CsvTable d = m.disparity();
    List<List<String>> rows = d.where(r -> d.get(r, "attribute").equals(attribute));
    List<String> labels = new ArrayList<>();
    Set<String> groups = new LinkedHashSet<>();
    rows.forEach(r -> {
      addOnce(labels, m.labelName(d.get(r, "label")));
      groups.add(d.get(r, "group"));
    });
    ObjectNode o = base("TPR gap by " + attribute + " per label", m.name()
        + ": the stage's TPR gap (CheXclusion's rule per attribute); marker area: share of positives");
    categories(axis(o, "xAxis", "category", "label"), labels);
    axis(o, "yAxis", "value", "TPR gap");
    o.putObject("tooltip").put("trigger", "item");
    ArrayNode series = o.putArray("series");
    for (String g : groups) {
      ObjectNode s = series.addObject().put("name", g).put("type", "scatter");
      s.putObject("tooltip").put("formatter", "ciTooltip");
      s.putObject("itemStyle").put("opacity", 0.7);
      ArrayNode data = s.putArray("data");
      for (List<String> r : rows) {
        if (!d.get(r, "group").equals(g) || d.get(r, "tpr_gap").isEmpty()) {
          continue;
        }
        double share = d.number(r, "share_of_positives");
        ObjectNode p = data.addObject();
        p.putArray("value").add(labels.indexOf(m.labelName(d.get(r, "label")))).add(d.number(r, "tpr_gap"));
        p.put("symbolSize", Math.max(6, Math.sqrt(Double.isNaN(share) ? 0 : share) * 40));
        p.put("extra", "TPR " + d.get(r, "tpr") + ", share of positives " + Finding.format(share, 3));
      }
    }
    zeroLine(series);
    return new Chart(Anchors.gapsFigure(m.name(), attribute), 380, o);
  }

  /** Each (label, group) as a point: share of positives against TPR gap, with Pearson r in the title. */
  static Chart gapVsShare(MetricsStage m, String attribute, String correlation) {
    CsvTable d = m.disparity();
    List<List<String>> rows = d.where(r -> d.get(r, "attribute").equals(attribute) && !d.get(r, "tpr_gap").isEmpty()
        && !d.get(r, "share_of_positives").isEmpty());
    Set<String> groups = new LinkedHashSet<>();
    rows.forEach(r -> groups.add(d.get(r, "group")));
    ObjectNode o = base("TPR gap vs share of positives by " + attribute, m.name() + ": " + correlation);
    axis(o, "xAxis", "value", "share of positives").put("min", 0).put("max", 1);
    axis(o, "yAxis", "value", "TPR gap");
    o.putObject("tooltip").put("trigger", "item");
    ArrayNode series = o.putArray("series");
    for (String g : groups) {
      ObjectNode s = series.addObject().put("name", g).put("type", "scatter").put("symbolSize", 10);
      s.putObject("tooltip").put("formatter", "ciTooltip");
      ArrayNode data = s.putArray("data");
      for (List<String> r : rows) {
        if (d.get(r, "group").equals(g)) {
          ObjectNode p = data.addObject();
          p.putArray("value").add(d.number(r, "share_of_positives")).add(d.number(r, "tpr_gap"));
          p.put("extra", m.labelName(d.get(r, "label")));
        }
      }
    }
    zeroLine(series);
    return new Chart(Anchors.shareFigure(m.name(), attribute), 360, o);
  }

  /** Reliability diagram: per group, the fraction of positives against the mean predicted score per bin. */
  static Chart reliability(MetricsStage m, String label, String attribute) {
    CsvTable c = m.calibration();
    List<List<String>> rows = c.where(r -> c.get(r, "label").equals(label) && c.get(r, "attribute").equals(attribute));
    Set<String> groups = new LinkedHashSet<>();
    rows.forEach(r -> groups.add(c.get(r, "group")));
    ObjectNode o = base(m.labelName(label) + ": reliability by " + attribute, m.name() + ": bins of the predicted score; diagonal = calibrated");
    axis(o, "xAxis", "value", "mean predicted").put("min", 0).put("max", 1);
    axis(o, "yAxis", "value", "fraction positive").put("min", 0).put("max", 1);
    o.putObject("tooltip").put("trigger", "item");
    ArrayNode series = o.putArray("series");
    for (String g : groups) {
      List<List<String>> bins = rows.stream().filter(r -> c.get(r, "group").equals(g))
          .sorted(Comparator.comparingDouble(r -> c.number(r, "mean_predicted"))).toList();
      String ece = bins.isEmpty() ? "" : " (ECE " + Finding.format(c.number(bins.get(0), "ece"), 3) + ")";
      ObjectNode s = series.addObject().put("name", g + ece).put("type", "line");
      s.putObject("tooltip").put("formatter", "ciTooltip");
      ArrayNode data = s.putArray("data");
      for (List<String> r : bins) {
        ObjectNode p = data.addObject();
        p.putArray("value").add(c.number(r, "mean_predicted")).add(c.number(r, "fraction_positive"));
        p.put("extra", "images in bin " + c.get(r, "count"));
      }
    }
    ObjectNode diag = series.addObject().put("name", "calibrated").put("type", "line").put("symbol", "none");
    diag.putObject("lineStyle").put("type", "dashed").put("color", "#999");
    diag.putArray("data").add(Chart.JSON.createArrayNode().add(0).add(0)).add(Chart.JSON.createArrayNode().add(1).add(1));
    return new Chart(Anchors.id("fig-reliability", m.name(), label, attribute), 360, o);
  }

  /** ROC curve of each group, with the group's operating point. */
  static Chart roc(MetricsStage m, String label, String attribute, List<RocCurves.Curve> curves) {
    ObjectNode o = base(m.labelName(label) + ": ROC by " + attribute, m.name() + "; dots: operating point");
    axis(o, "xAxis", "value", "FPR").put("min", 0).put("max", 1);
    axis(o, "yAxis", "value", "TPR").put("min", 0).put("max", 1);
    o.putObject("tooltip").put("trigger", "item");
    ArrayNode series = o.putArray("series");
    for (RocCurves.Curve c : curves) {
      ObjectNode s = series.addObject().put("name", c.group() + " (AUC " + Finding.format(c.auc(), 3) + ")")
          .put("type", "line").put("symbol", "none");
      ArrayNode data = s.putArray("data");
      for (int i = 0; i < c.fpr().length; i++) {
        data.addArray().add(c.fpr()[i]).add(c.tpr()[i]);
      }
      if (!Double.isNaN(c.pointFpr())) {
        s.putObject("markPoint").put("symbol", "circle").put("symbolSize", 9).putArray("data").addObject()
            .put("name", "operating point").putArray("coord").add(c.pointFpr()).add(c.pointTpr());
      }
    }
    ObjectNode diag = series.addObject().put("name", "chance").put("type", "line").put("symbol", "none");
    diag.putObject("lineStyle").put("type", "dashed").put("color", "#999");
    diag.putArray("data").add(Chart.JSON.createArrayNode().add(0).add(0)).add(Chart.JSON.createArrayNode().add(1).add(1));
    return new Chart(Anchors.id("fig-roc", m.name(), label, attribute), 360, o);
  }

  /** One label's TPR per group in two runs side by side, with their intervals ({@code report --compare}). */
  static Chart compare(MetricsStage a, MetricsStage b, String label) {
    List<RunComparison.Pair> pairs = RunComparison.pairs(a, b).stream()
        .filter(p -> p.label().equals(label) && p.measure().equals("tpr")).toList();
    List<String> groups = pairs.stream().map(p -> p.attribute().equals("all") ? "all" : p.attribute() + ": " + p.group())
        .toList();
    ObjectNode o = base(a.labelName(label) + ": TPR in run A and run B", a.name() + ", 95% intervals");
    categories(axis(o, "xAxis", "category", "group"), groups);
    axis(o, "yAxis", "value", "TPR").put("min", 0).put("max", 1);
    o.putObject("tooltip").put("trigger", "item");
    ArrayNode series = o.putArray("series");
    List<double[]> pa = new ArrayList<>();
    List<double[]> pb = new ArrayList<>();
    List<String> extra = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i++) {
      RunComparison.Pair p = pairs.get(i);
      pa.add(new double[] {i, p.a(), p.aLo(), p.aHi()});
      pb.add(new double[] {i, p.b(), p.bLo(), p.bHi()});
      extra.add("B − A " + Finding.format(p.b() - p.a(), 3)
          + (p.hasIntervals() ? ", intervals " + (p.overlap() ? "overlap" : "do not overlap") : ""));
    }
    pointsWithIntervals(series, "run A", pa, extra, -6);
    pointsWithIntervals(series, "run B", pb, extra, 6);
    return new Chart(Anchors.id("fig-compare", a.name(), label), 340, o);
  }

  /** Train and validation loss per epoch of one model ({@code training_log.csv}). */
  static Chart training(String model, CsvTable log) {
    ObjectNode o = base(model + ": training curve", null);
    axis(o, "xAxis", "value", "epoch").put("minInterval", 1);
    axis(o, "yAxis", "value", "loss");
    o.putObject("tooltip").put("trigger", "axis");
    ArrayNode series = o.putArray("series");
    for (String column : List.of("train_loss", "val_loss")) {
      ObjectNode s = series.addObject().put("name", column.equals("train_loss") ? "train loss" : "validation loss")
          .put("type", "line");
      ArrayNode data = s.putArray("data");
      for (List<String> r : log.rows()) {
        data.addArray().add(log.number(r, "epoch")).add(log.number(r, column));
      }
    }
    return new Chart(Anchors.id("fig-training", model), 300, o);
  }

  private static void zeroLine(ArrayNode series) {
    ObjectNode zero = series.addObject().put("name", "no gap").put("type", "line").put("symbol", "none");
    zero.putArray("data");
    zero.putObject("markLine").put("silent", true).put("symbol", "none").putArray("data").addObject().put("yAxis", 0);
  }

  private static void addOnce(List<String> list, String s) {
    if (!list.contains(s)) {
      list.add(s);
    }
  }
}
