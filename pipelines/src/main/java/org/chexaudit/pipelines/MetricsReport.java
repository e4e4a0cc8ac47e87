package org.chexaudit.pipelines;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.chexaudit.transforms.io.Resources;
import org.chexaudit.schemas.ReliabilityPoint;
import org.chexaudit.schemas.SubgroupMetric;
import org.chexaudit.schemas.TprGap;
import org.chexaudit.core.io.CsvWriter;
import org.chexaudit.pipelines.report.Png;
import org.chexaudit.pipelines.stage.AvroFiles;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The human-readable outputs of {@code metrics}: CSV tables and PNG plots, from its Avro files (one row
 * per label and subgroup, so a few KB whatever the number of predictions), read and written through
 * {@link Resources} in the output folder, any Beam path.
 */
final class MetricsReport {
  static final String METRICS_HEADER =
      "label,attribute,group,n,positives,negatives,auc,threshold,tpr,fpr,auc_lo,auc_hi,tpr_lo,tpr_hi,fpr_lo,fpr_hi";
  static final String DISPARITY_HEADER = "label,attribute,group,tpr,tpr_gap,share_of_positives";

  private final List<SubgroupMetric> metrics;
  private final List<TprGap> gaps;
  private final boolean withCi;

  private MetricsReport(List<SubgroupMetric> metrics, List<TprGap> gaps, boolean withCi) {
    this.metrics = metrics;
    this.gaps = gaps;
    this.withCi = withCi;
  }

  static MetricsReport read(ResourceId dir, boolean withCi) {
    List<SubgroupMetric> m = AvroFiles.read(Resources.file(dir, "metrics.avro"), SubgroupMetric.class);
    List<TprGap> g = AvroFiles.read(Resources.file(dir, "disparity.avro"), TprGap.class);
    List<String> labels = new ArrayList<>(new LinkedHashSet<>(m.stream().map(x -> x.getLabel().toString()).toList()));
    Comparator<String> attr = (a, b) -> a.equals(b) ? 0 : a.equals("all") ? -1 : b.equals("all") ? 1 : a.compareTo(b);
    m.sort(Comparator.comparing((SubgroupMetric x) -> x.getLabel().toString())
        .thenComparing(x -> x.getAttribute().toString(), attr).thenComparing(x -> x.getGroup().toString()));
    g.sort(Comparator.comparing((TprGap x) -> x.getLabel().toString())
        .thenComparing(x -> x.getAttribute().toString()).thenComparing(x -> x.getGroup().toString()));
    return new MetricsReport(m, g, withCi);
  }

  List<SubgroupMetric> metrics() {
    return metrics;
  }

  List<TprGap> gaps() {
    return gaps;
  }

  /** Writes the CSVs; {@code thresholdNote} (where the thresholds come from) goes to notes.csv per label. */
  void writeCsv(ResourceId dir, String thresholdNote) {
    try (Writer w = Resources.writer(Resources.file(dir, "metrics.csv"));
        Writer nw = Resources.writer(Resources.file(dir, "notes.csv"));
        Writer cw = Resources.writer(Resources.file(dir, "calibration.csv"))) {
      CsvWriter csv = new CsvWriter(w);
      CsvWriter notes = new CsvWriter(nw);
      CsvWriter cal = new CsvWriter(cw);
      w.write(METRICS_HEADER + "\n");
      notes.writeRow("label", "attribute", "group", "note");
      for (String label : new LinkedHashSet<>(metrics.stream().map(m -> m.getLabel().toString()).toList())) {
        notes.writeRow(label, "all", "all", thresholdNote);
      }
      cal.writeRow("label", "attribute", "group", "ece", "mean_predicted", "fraction_positive", "count");
      for (SubgroupMetric m : metrics) {
        String l = m.getLabel().toString(), a = m.getAttribute().toString(), g = m.getGroup().toString();
        csv.writeRow(l, a, g, String.valueOf(m.getN()), String.valueOf(m.getPositives()),
            String.valueOf(m.getNegatives()), num(m.getAuc()), num(m.getThreshold()), num(m.getTpr()), num(m.getFpr()),
            ci(m.getAucLo()), ci(m.getAucHi()), ci(m.getTprLo()), ci(m.getTprHi()), ci(m.getFprLo()), ci(m.getFprHi()));
        if (m.getNote().length() > 0) {
          notes.writeRow(l, a, g, m.getNote().toString());
        }
        for (ReliabilityPoint p : m.getReliability()) {
          cal.writeRow(l, a, g, num(m.getEce()), num(p.getMeanPredicted()), num(p.getFractionPositive()),
              String.valueOf(p.getCount()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write metrics CSVs in " + dir, e);
    }
    try (Writer w = Resources.writer(Resources.file(dir, "disparity.csv"))) {
      CsvWriter csv = new CsvWriter(w);
      w.write(DISPARITY_HEADER + "\n");
      for (TprGap g : gaps) {
        csv.writeRow(g.getLabel().toString(), g.getAttribute().toString(), g.getGroup().toString(), num(g.getTpr()),
            num(g.getTprGap()), num(g.getShareOfPositives()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write disparity.csv in " + dir, e);
    }
  }

  private String ci(Double v) {
    return withCi ? num(v) : "";
  }

  static String num(Double v) {
    if (v == null || v.isNaN()) {
      return "";
    }
    if (v.isInfinite()) {
      return v > 0 ? "inf" : "-inf";
    }
    return String.valueOf(v);
  }

  /** ROC per label with each subgroup's operating point; TPR gap per attribute across labels. */
  void writePlots(ResourceId dir) {
    Map<String, List<SubgroupMetric>> byLabel = new LinkedHashMap<>();
    metrics.forEach(m -> byLabel.computeIfAbsent(m.getLabel().toString(), k -> new ArrayList<>()).add(m));
    // each figure is drawn on its own image: drawn side by side, on every core
    List<Runnable> figures = new ArrayList<>();
    byLabel.forEach((label, rows) -> figures.add(() -> writeRoc(dir, label, rows)));
    addGapPlots(dir, new ArrayList<>(byLabel.keySet()), figures);
    figures.parallelStream().forEach(Runnable::run);
  }

  private static void writeRoc(ResourceId dir, String label, List<SubgroupMetric> rows) {
    XYChart chart = new XYChartBuilder().width(800).height(700).title(label + " - ROC per subgroup")
        .xAxisTitle("False positive rate").yAxisTitle("True positive rate").build();
    chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
    XYSeries chance = chart.addSeries("chance", new double[] {0, 1}, new double[] {0, 1});
    chance.setMarker(SeriesMarkers.NONE);
    chance.setLineColor(Color.LIGHT_GRAY);
    for (SubgroupMetric m : rows) {
      if (m.getRocFpr().isEmpty() || m.getAttribute().toString().contains("*")) {
        continue; // intersections are in the tables; the figure keeps to single attributes
      }
      String name = m.getAttribute().equals("all") ? "all" : m.getGroup().toString();
      XYSeries s = chart.addSeries(name + String.format(" (AUC %.3f)", m.getAuc()), m.getRocFpr(), m.getRocTpr());
      s.setMarker(SeriesMarkers.NONE);
      if (m.getTpr() != null && m.getFpr() != null) {
        XYSeries op = chart.addSeries(name + " operating point", new double[] {m.getFpr()}, new double[] {m.getTpr()});
        op.setMarker(SeriesMarkers.CROSS);
        op.setLineStyle(new BasicStroke(0f));
        op.setShowInLegend(false);
      }
    }
    Png.write(chart, Resources.file(dir, "roc_" + safe(label) + ".png"));
  }

  /** Adds the drawing of one TPR-gap figure per attribute to {@code figures}. */
  private void addGapPlots(ResourceId dir, List<String> labels, List<Runnable> figures) {
    Map<String, Map<String, List<TprGap>>> byAttribute = new LinkedHashMap<>();
    for (TprGap g : gaps) {
      byAttribute.computeIfAbsent(g.getAttribute().toString(), k -> new LinkedHashMap<>())
          .computeIfAbsent(g.getGroup().toString(), k -> new ArrayList<>()).add(g);
    }
    for (Map.Entry<String, Map<String, List<TprGap>>> a : byAttribute.entrySet()) {
      figures.add(() -> writeGapPlot(dir, labels, a.getKey(), a.getValue()));
    }
  }

  private static void writeGapPlot(ResourceId dir, List<String> labels, String attribute, Map<String, List<TprGap>> byGroup) {
    XYChart chart = new XYChartBuilder().width(900).height(600).title("TPR gap by " + attribute)
        .xAxisTitle("label (" + String.join(", ", labels) + ")").yAxisTitle("TPR gap").build();
    int gi = 0;
    int groups = byGroup.size();
    for (Map.Entry<String, List<TprGap>> g : byGroup.entrySet()) {
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (TprGap t : g.getValue()) {
        if (t.getTprGap() != null) {
          double xi = labels.indexOf(t.getLabel().toString()) + 0.6 * (gi + 0.5) / groups - 0.3;
          x.add(xi);
          y.add(t.getTprGap());
          if (t.getGapLo() != null && t.getGapHi() != null) {
            XYSeries bar = chart.addSeries(g.getKey() + " CI " + t.getLabel(), new double[] {xi, xi},
                new double[] {t.getGapLo(), t.getGapHi()});
            bar.setMarker(SeriesMarkers.NONE);
            bar.setShowInLegend(false);
            bar.setLineColor(Color.GRAY);
          }
        }
      }
      if (!x.isEmpty()) {
        XYSeries s = chart.addSeries(g.getKey(), x, y);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineStyle(new BasicStroke(0f));
      }
      gi++;
    }
    Png.write(chart, Resources.file(dir, "tpr_gap_" + safe(attribute) + ".png"));
  }

  private static String safe(String s) {
    return s.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
