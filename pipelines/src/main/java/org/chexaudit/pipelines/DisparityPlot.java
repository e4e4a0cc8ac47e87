package org.chexaudit.pipelines;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.chexaudit.transforms.chexclusion.MeanDisparity;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * CheXclusion's TPR-disparity scatter ({@code Confidence.py}, spec B7) as a PNG: per label (x, sorted
 * by Distance) the mean gap of each group, marker area proportional to the group's share of positives,
 * and the 1.96·sd/√k bar when there is more than one run.
 */
final class DisparityPlot {
  private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
      new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
      new Color(127, 127, 127)};
  /** The original's marker area is share·500 pt²; XChart sizes markers by diameter in pixels. */
  private static final double SIZE_SCALE = 40;

  private DisparityPlot() {}

  /** A filled circle of a fixed diameter: XChart's marker size is one per chart, the share is per point. */
  private static final class SizedCircle extends Marker {
    private final double diameter;

    SizedCircle(double diameter) {
      this.diameter = diameter;
    }

    @Override
    public void paint(Graphics2D g, double x, double y, int ignoredMarkerSize) {
      g.fill(new Ellipse2D.Double(x - diameter / 2, y - diameter / 2, diameter, diameter));
    }
  }

  static void write(Path file, MeanDisparity d, int runs) {
    List<String> labels = d.rows().stream().map(MeanDisparity.Row::label).toList();
    XYChart chart = new XYChartBuilder().width(1000).height(650)
        .title("TPR disparity by " + d.attribute() + " (" + runs + " run" + (runs == 1 ? "" : "s") + ")")
        .xAxisTitle("label, by Distance").yAxisTitle("TPR gap").build();
    chart.getStyler().setXAxisLabelRotation(60);
    chart.getStyler().setXAxisDecimalPattern("0");
    chart.setCustomXAxisTickLabelsFormatter(x -> {
      int i = (int) Math.round(x);
      return Math.abs(x - i) < 1e-9 && i >= 0 && i < labels.size() ? labels.get(i) : "";
    });
    int gi = 0;
    for (String g : d.groups()) {
      Color color = PALETTE[gi % PALETTE.length];
      double offset = d.groups().size() == 1 ? 0 : 0.5 * gi / (d.groups().size() - 1) - 0.25;
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      List<Double> err = new ArrayList<>();
      for (int i = 0; i < d.rows().size(); i++) {
        MeanDisparity.GroupMean m = d.rows().get(i).group(g);
        if (Double.isNaN(m.gap())) {
          continue;
        }
        double xi = i + offset;
        x.add(xi);
        y.add(m.gap());
        err.add(Double.isNaN(m.ci()) ? 0 : m.ci());
        XYSeries dot = chart.addSeries(g + "@" + i, new double[] {xi}, new double[] {m.gap()});
        dot.setMarker(new SizedCircle(Math.max(3, Math.sqrt(Math.max(0, m.share())) * SIZE_SCALE)));
        dot.setMarkerColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 110));
        dot.setShowInLegend(false);
        dot.setLineStyle(new BasicStroke(0f));
      }
      if (!x.isEmpty()) {
        XYSeries s = chart.addSeries(g, x, y, err);
        s.setMarker(SeriesMarkers.DIAMOND);
        s.setMarkerColor(color);
        s.setLineColor(color);
        s.setLineStyle(new BasicStroke(0f));
      }
      gi++;
    }
    XYSeries zero = chart.addSeries("zero", new double[] {-0.5, Math.max(0.5, labels.size() - 0.5)}, new double[] {0, 0});
    zero.setMarker(SeriesMarkers.NONE);
    zero.setLineColor(Color.GRAY);
    zero.setShowInLegend(false);
    try {
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
