package org.chexaudit.pipelines.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.chexaudit.core.explore.GaussianKde;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A seaborn-style {@code jointplot} of three XChart charts composed into one PNG: a scatter (alpha 0.6)
 * with kernel density estimates of x above and of y to the right ({@link GaussianKde}: Gaussian kernel,
 * Scott's bandwidth as SciPy's {@code gaussian_kde}), the marginal plot areas aligned with the scatter's
 * axes. Coloured by a category (seaborn's "deep" palette, one filled density per group scaled by the
 * group's share of all rows, as seaborn's {@code common_norm}) or by a continuous value (one overall
 * density). The axes span the given {@link Limits} exactly; rows without a colour are drawn grey.
 *
 * <p>Unlike seaborn, a continuous value has no colour bar: XChart colours per series, so the values are
 * binned into at most eight equal bins of a round width (10-year bins for ages), each drawn in the viridis
 * colour of its position and named by its range in the legend, {@code [lo, hi)} (the last bin includes
 * its upper end). The legend sits in the corner of the scatter with the fewest points, as matplotlib's
 * {@code loc="best"}; the hue's name is in the title, as XChart's legend has none.
 */
public final class JointPlot {
  /** Axis limits shared by the plots of one method. */
  public record Limits(double xMin, double xMax, double yMin, double yMax) {
    public static Limits of(double[] x, double[] y) {
      double[] lx = padded(x);
      double[] ly = padded(y);
      return new Limits(lx[0], lx[1], ly[0], ly[1]);
    }

    private static double[] padded(double[] v) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (double d : v) {
        lo = Math.min(lo, d);
        hi = Math.max(hi, d);
      }
      if (!(hi > lo)) {
        double c = Double.isFinite(lo) ? lo : 0;
        return new double[] {c - 1, c + 1};
      }
      double pad = 0.05 * (hi - lo);
      return new double[] {lo - pad, hi + pad};
    }
  }

  /** seaborn's "deep" palette. */
  static final Color[] PALETTE = {
      new Color(0x4C72B0), new Color(0xDD8452), new Color(0x55A868), new Color(0xC44E52),
      new Color(0x8172B3), new Color(0x937860), new Color(0xDA8BC3), new Color(0x8C8C8C)};
  /** matplotlib's viridis at 0, 1/4, 1/2, 3/4 and 1. */
  private static final Color[] VIRIDIS = {
      new Color(0x440154), new Color(0x3B528B), new Color(0x21918C), new Color(0x5EC962), new Color(0xFDE725)};
  static final Color MISSING = new Color(0xBBBBBB);
  private static final int MAX_BINS = 8;

  static final int W = 720;
  static final int H = 720;
  /** Height of the top marginal and width of the right one, in pixels. */
  static final int BAND = 100;
  static final int TITLE = 30;
  static final int GAP = 8;
  private static final int MARGIN = 10;
  private static final int GRID = 200;

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final double[] x;
  private final double[] y;
  private final Limits limits;

  public JointPlot(String title, String xLabel, String yLabel, double[] x, double[] y, Limits limits) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("JointPlot: x has " + x.length + " values, y " + y.length);
    }
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.x = x;
    this.y = y;
    this.limits = limits;
  }

  /** Points of one colour, named in the legend unless {@code name} is null. */
  private record Layer(String name, Color colour, List<Integer> rows) {}

  /** Densities of x and of y on the grid, drawn in one colour. */
  private record Density(Color colour, double[] x, double[] y) {}

  /** One colour per group in {@code order}; rows of other groups (or null) are drawn grey, without density. */
  public void writeCategorical(ResourceId file, String hueName, String[] group, List<String> order) {
    List<Layer> layers = new ArrayList<>();
    List<Density> densities = new ArrayList<>();
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < group.length; i++) {
      if (group[i] == null || !order.contains(group[i])) {
        missing.add(i);
      }
    }
    layers.add(new Layer(null, MISSING, missing));
    for (int k = 0; k < order.size(); k++) {
      Color c = PALETTE[k % PALETTE.length];
      List<Integer> rows = new ArrayList<>();
      for (int i = 0; i < group.length; i++) {
        if (order.get(k).equals(group[i])) {
          rows.add(i);
        }
      }
      layers.add(new Layer(order.get(k), c, rows));
      densities.add(density(rows, rows.size() / (double) x.length, c));
    }
    write(file, hueName, layers, densities);
  }

  /**
   * Each row in the viridis colour of its value's bin (NaN drawn grey); one overall density per margin.
   */
  public void writeContinuous(ResourceId file, String hueName, double[] value) {
    List<Integer> all = new ArrayList<>();
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < value.length; i++) {
      all.add(i);
      if (!Double.isFinite(value[i])) {
        missing.add(i);
      }
    }
    List<Layer> layers = new ArrayList<>();
    layers.add(new Layer(null, MISSING, missing));
    Bins bins = Bins.of(value);
    for (int b = 0; b < bins.count(); b++) {
      List<Integer> rows = new ArrayList<>();
      for (int i = 0; i < value.length; i++) {
        if (Double.isFinite(value[i]) && bins.index(value[i]) == b) {
          rows.add(i);
        }
      }
      layers.add(new Layer(bins.label(b), viridis(bins.count() == 1 ? 0.5 : b / (bins.count() - 1.0)), rows));
    }
    write(file, hueName, layers, List.of(density(all, 1, PALETTE[0])));
  }

  /**
   * At most {@link #MAX_BINS} bins of width 1, 2 or 5 times a power of ten from a multiple of the width;
   * none when no value is finite, one of width 0 when all finite values are equal.
   */
  record Bins(double start, double width, int count) {
    static Bins of(double[] value) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (double v : value) {
        if (Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
      if (lo > hi) {
        return new Bins(0, 1, 0);
      }
      if (lo == hi) {
        return new Bins(lo, 0, 1);
      }
      double mag = Math.pow(10, Math.floor(Math.log10(Math.max((hi - lo) / MAX_BINS, Double.MIN_NORMAL))));
      for (double m = mag; ; m *= 10) {
        for (double f : new double[] {1, 2, 5}) {
          double w = f * m;
          double start = Math.floor(lo / w) * w;
          int count = Math.max(1, (int) Math.ceil((hi - start) / w - 1e-9));
          if (count <= MAX_BINS) {
            return new Bins(start, w, count);
          }
        }
      }
    }

    int index(double v) {
      return width == 0 ? 0 : Math.max(0, Math.min(count - 1, (int) Math.floor((v - start) / width + 1e-9)));
    }

    String label(int b) {
      if (width == 0) {
        return BigDecimal.valueOf(start).stripTrailingZeros().toPlainString();
      }
      return "[" + edge(b) + ", " + edge(b + 1) + (b == count - 1 ? "]" : ")");
    }

    private String edge(int b) {
      int decimals = Math.max(0, (int) -Math.floor(Math.log10(width) + 1e-9));
      return BigDecimal.valueOf(start + b * width).setScale(decimals, RoundingMode.HALF_EVEN).stripTrailingZeros()
          .toPlainString();
    }
  }

  /** Gaussian KDEs of the rows' finite x and y on the grid of the limits, times {@code share}. */
  private Density density(List<Integer> rows, double share, Color colour) {
    return new Density(colour, kde(x, rows, limits.xMin(), limits.xMax(), share),
        kde(y, rows, limits.yMin(), limits.yMax(), share));
  }

  private static double[] kde(double[] v, List<Integer> rows, double lo, double hi, double share) {
    double[] sample = rows.stream().mapToDouble(i -> v[i]).filter(Double::isFinite).toArray();
    double[] d = GaussianKde.of(sample).density(GaussianKde.grid(lo, hi, GRID));
    for (int k = 0; k < d.length; k++) {
      d[k] *= share;
    }
    return d;
  }

  /**
   * Paints the scatter below the title band and left of the right band, then each marginal chart into
   * the rectangle that the scatter's axes span: above its plot area and to its right.
   */
  private void write(ResourceId file, String hueName, List<Layer> layers, List<Density> densities) {
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    int top = TITLE + BAND;
    XYChart main = scatter(layers);
    paint(g, main, 0, top, W - BAND - GAP, H - top);
    int px0 = (int) Math.round(main.getScreenXFromChart(limits.xMin()));
    int px1 = (int) Math.round(main.getScreenXFromChart(limits.xMax()));
    int py0 = top + (int) Math.round(main.getScreenYFromChart(limits.yMax()));
    int py1 = top + (int) Math.round(main.getScreenYFromChart(limits.yMin()));
    XYChart above = marginal(densities, true);
    above.setTitle(title + ", coloured by " + hueName);
    paint(g, above, px0, 0, px1 - px0, py0 - GAP);
    paint(g, marginal(densities, false), px1 + GAP, py0, W - MARGIN - px1 - GAP, py1 - py0);
    g.dispose();
    Png.write(img, file);
  }

  private static void paint(Graphics2D g, XYChart chart, int left, int top, int width, int height) {
    Graphics2D area = (Graphics2D) g.create(left, top, width, height);
    chart.paint(area, width, height);
    area.dispose();
  }

  private XYChart scatter(List<Layer> layers) {
    XYChart chart = new XYChartBuilder().xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    XYStyler s = chart.getStyler();
    s.setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotGridLinesVisible(false);
    s.setPlotContentSize(1.0);
    s.setXAxisMin(limits.xMin()).setXAxisMax(limits.xMax()).setYAxisMin(limits.yMin()).setYAxisMax(limits.yMax());
    s.setMarkerSize(7);
    s.setLegendPosition(bestCorner());
    int unnamed = 0;
    for (Layer layer : layers) {
      List<Double> lx = new ArrayList<>();
      List<Double> ly = new ArrayList<>();
      for (int i : layer.rows()) {
        if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
          lx.add(x[i]);
          ly.add(y[i]);
        }
      }
      if (lx.isEmpty() && layer.name() == null) {
        continue;
      }
      if (lx.isEmpty()) { // XChart needs a point; a NaN one keeps the group's legend entry
        lx.add(Double.NaN);
        ly.add(Double.NaN);
      }
      XYSeries series = chart.addSeries(layer.name() == null ? " " + unnamed++ : layer.name(), lx, ly);
      Color c = layer.colour();
      series.setMarker(SeriesMarkers.CIRCLE);
      series.setMarkerColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 153));
      series.setShowInLegend(layer.name() != null);
    }
    return chart;
  }

  /** The densities of x (above: grid across, density up) or y (right: density across, grid up), without axes. */
  private XYChart marginal(List<Density> densities, boolean above) {
    XYChart chart = new XYChartBuilder().build();
    XYStyler s = chart.getStyler();
    s.setDefaultSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setLegendVisible(false);
    s.setAxisTitlesVisible(false);
    s.setAxisTicksVisible(false);
    s.setPlotBorderVisible(false);
    s.setPlotGridLinesVisible(false);
    s.setChartPadding(0);
    s.setPlotMargin(0);
    s.setPlotContentSize(1.0);
    double lo = above ? limits.xMin() : limits.yMin();
    double hi = above ? limits.xMax() : limits.yMax();
    double peak = 0;
    for (Density d : densities) {
      for (double v : above ? d.x() : d.y()) {
        peak = Math.max(peak, v);
      }
    }
    double top = peak > 0 ? 1.05 * peak : 1;
    if (above) {
      s.setXAxisMin(lo).setXAxisMax(hi).setYAxisMin(0.0).setYAxisMax(top);
    } else {
      s.setXAxisMin(0.0).setXAxisMax(top).setYAxisMin(lo).setYAxisMax(hi);
    }
    double[] grid = GaussianKde.grid(lo, hi, GRID);
    int k = 0;
    for (Density d : densities) {
      double[] density = above ? d.x() : d.y();
      if (Arrays.stream(density).noneMatch(v -> v > 0)) {
        continue; // an empty group, or fewer than two distinct values: no curve, as seaborn
      }
      // the curve closed along the baseline, a polygon XChart fills
      double[] along = new double[GRID + 2];
      double[] across = new double[GRID + 2];
      along[0] = lo;
      along[GRID + 1] = hi;
      System.arraycopy(grid, 0, along, 1, GRID);
      System.arraycopy(density, 0, across, 1, GRID);
      XYSeries series = above ? chart.addSeries("density " + k++, along, across)
          : chart.addSeries("density " + k++, across, along);
      Color c = d.colour();
      series.setMarker(SeriesMarkers.NONE);
      series.setLineColor(c);
      series.setLineWidth(1.5f);
      series.setFillColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 64));
    }
    if (k == 0) { // XChart needs a series
      chart.addSeries("none", new double[] {Double.NaN}, new double[] {Double.NaN}).setMarker(SeriesMarkers.NONE);
    }
    return chart;
  }

  /** The first of NE, NW, SW, SE (matplotlib's order) whose third of the plot in each direction has fewest points. */
  private LegendPosition bestCorner() {
    LegendPosition[] corners = {LegendPosition.InsideNE, LegendPosition.InsideNW, LegendPosition.InsideSW,
        LegendPosition.InsideSE};
    int[] count = new int[4];
    double w = (limits.xMax() - limits.xMin()) / 3;
    double h = (limits.yMax() - limits.yMin()) / 3;
    for (int i = 0; i < x.length; i++) {
      boolean east = x[i] > limits.xMax() - w;
      boolean west = x[i] < limits.xMin() + w;
      boolean north = y[i] > limits.yMax() - h;
      boolean south = y[i] < limits.yMin() + h;
      count[0] += east && north ? 1 : 0;
      count[1] += west && north ? 1 : 0;
      count[2] += west && south ? 1 : 0;
      count[3] += east && south ? 1 : 0;
    }
    int best = 0;
    for (int c = 1; c < 4; c++) {
      if (count[c] < count[best]) {
        best = c;
      }
    }
    return corners[best];
  }

  static Color viridis(double t) {
    double u = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
    int i = Math.min((int) u, VIRIDIS.length - 2);
    double f = u - i;
    Color a = VIRIDIS[i];
    Color b = VIRIDIS[i + 1];
    return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
        (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
        (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
  }
}
