package org.chexaudit.pipelines.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import org.apache.beam.sdk.io.fs.ResourceId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.chexaudit.core.chexclusion.MeanDisparity;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * CheXclusion's TPR-disparity scatter ({@code Confidence.py}, spec B7) as a PNG: per label (x, sorted
 * by Distance) the mean gap of each group, a translucent disc whose area is proportional to the
 * group's share of positives, and the 1.96·sd/√k bar when there is more than one run. Undefined
 * gaps are not drawn.
 */
public final class DisparityPlot {
  private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
      new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
      new Color(127, 127, 127)};
  /** Disc diameter in pixels at share 1 (the original's marker area is share·500 pt²). */
  private static final double DIAMETER_AT_SHARE_1 = 40;

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

  /** Writes the plot as a PNG to {@code file}, any Beam path. */
  public static void write(ResourceId file, MeanDisparity d, int runs) {
    List<String> labels = d.rows().stream().map(MeanDisparity.Row::label).toList();
    CategoryChart chart = new CategoryChartBuilder().width(1000).height(700)
        .title("TPR disparity by " + d.attribute() + " (" + runs + " run" + (runs == 1 ? "" : "s") + ")")
        .xAxisTitle("label, by Distance").yAxisTitle("TPR gap").build();
    chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
    chart.getStyler().setOverlapped(true);
    chart.getStyler().setXAxisLabelRotation(90);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    int gi = 0;
    for (String g : d.groups()) {
      Color color = PALETTE[gi++ % PALETTE.length];
      Color translucent = new Color(color.getRed(), color.getGreen(), color.getBlue(), 90);
      List<Double> y = new ArrayList<>();
      List<Double> err = new ArrayList<>();
      for (int i = 0; i < labels.size(); i++) {
        MeanDisparity.GroupMean m = d.rows().get(i).group(g);
        y.add(m.gap());
        err.add(Double.isNaN(m.gap()) ? Double.NaN : Double.isNaN(m.ci()) ? 0 : m.ci());
        if (!Double.isNaN(m.gap()) && !Double.isNaN(m.share())) {
          List<Double> only = new ArrayList<>(Collections.nCopies(labels.size(), Double.NaN));
          only.set(i, m.gap());
          CategorySeries disc = chart.addSeries(g + " share @" + i, labels, only);
          disc.setMarker(new SizedCircle(Math.max(3, Math.sqrt(m.share()) * DIAMETER_AT_SHARE_1)));
          disc.setMarkerColor(translucent);
          disc.setShowInLegend(false);
        }
      }
      CategorySeries s = runs > 1 ? chart.addSeries(g, labels, y, err) : chart.addSeries(g, labels, y);
      s.setMarker(SeriesMarkers.DIAMOND);
      s.setMarkerColor(color);
    }
    Png.write(chart, file);
  }
}
