package org.chexaudit.pipelines.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import org.apache.beam.sdk.io.fs.ResourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A seaborn-style {@code jointplot} drawn with Java2D: a scatter (alpha 0.6) with kernel density
 * estimates of x above and of y to the right (Gaussian kernel, Scott's bandwidth as scipy's
 * {@code gaussian_kde}). Coloured by a category (one density per group, scaled by the group's share,
 * as seaborn's {@code common_norm}) or by a continuous value (viridis, one overall density, and a
 * colour bar).
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
  private static final Color[] PALETTE = {
      new Color(0x4C72B0), new Color(0xDD8452), new Color(0x55A868), new Color(0xC44E52),
      new Color(0x8172B3), new Color(0x937860), new Color(0xDA8BC3), new Color(0x8C8C8C)};
  private static final Color[] VIRIDIS = {
      new Color(0x440154), new Color(0x3B528B), new Color(0x21918C), new Color(0x5EC962), new Color(0xFDE725)};
  private static final Color MISSING = new Color(0xBBBBBB);

  private static final int W = 720;
  private static final int H = 720;
  private static final int LEFT = 80;
  private static final int BOTTOM = 60;
  private static final int BAND = 100;
  private static final int GAP = 8;
  private static final int GRID = 200;

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final double[] x;
  private final double[] y;
  private final Limits limits;
  // plot area
  private final int px0 = LEFT;
  private final int px1 = W - BAND - GAP - 10;
  private final int py0 = 10 + BAND + GAP + 20;
  private final int py1 = H - BOTTOM;

public   JointPlot(String title, String xLabel, String yLabel, double[] x, double[] y, Limits limits) {
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

  /** One colour per group in {@code order}; rows of other groups (or null) are drawn grey, without density. */
  public void writeCategorical(ResourceId file, String hueName, String[] group, List<String> order) {
    BufferedImage img = canvas();
    Graphics2D g = graphics(img);
    axes(g);
    for (int i = 0; i < group.length; i++) {
      if (group[i] == null || !order.contains(group[i])) {
        point(g, i, MISSING);
      }
    }
    for (int k = 0; k < order.size(); k++) {
      List<Integer> rows = rowsOf(group, order.get(k));
      Color c = PALETTE[k % PALETTE.length];
      for (int i : rows) {
        point(g, i, c);
      }
    }
    double maxX = 0;
    double maxY = 0;
    List<double[][]> densities = new ArrayList<>();
    for (String level : order) {
      List<Integer> rows = rowsOf(group, level);
      double share = rows.size() / (double) x.length;
      double[] dx = scaled(kde(pick(x, rows), limits.xMin(), limits.xMax()), share);
      double[] dy = scaled(kde(pick(y, rows), limits.yMin(), limits.yMax()), share);
      densities.add(new double[][] {dx, dy});
      maxX = Math.max(maxX, max(dx));
      maxY = Math.max(maxY, max(dy));
    }
    for (int k = 0; k < order.size(); k++) {
      Color c = PALETTE[k % PALETTE.length];
      marginals(g, densities.get(k)[0], densities.get(k)[1], maxX, maxY, c);
    }
    legend(g, hueName, order);
    g.dispose();
    Png.write(img, file);
  }

  /** Viridis colour of each row's value (NaN drawn grey); one overall density per margin. */
  public void writeContinuous(ResourceId file, String hueName, double[] value) {
    BufferedImage img = canvas();
    Graphics2D g = graphics(img);
    axes(g);
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : value) {
      if (Double.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    for (int i = 0; i < x.length; i++) {
      point(g, i, Double.isFinite(value[i]) ? viridis(hi > lo ? (value[i] - lo) / (hi - lo) : 0.5) : MISSING);
    }
    double[] dx = kde(x, limits.xMin(), limits.xMax());
    double[] dy = kde(y, limits.yMin(), limits.yMax());
    marginals(g, dx, dy, max(dx), max(dy), PALETTE[0]);
    colourBar(g, hueName, lo, hi);
    g.dispose();
    Png.write(img, file);
  }

  private BufferedImage canvas() {
    return new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
  }

  private static Graphics2D graphics(BufferedImage img) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    return g;
  }

  private double sx(double v) {
    return px0 + (v - limits.xMin()) / (limits.xMax() - limits.xMin()) * (px1 - px0);
  }

  private double sy(double v) {
    return py1 - (v - limits.yMin()) / (limits.yMax() - limits.yMin()) * (py1 - py0);
  }

  private void axes(Graphics2D g) {
    g.setColor(Color.DARK_GRAY);
    g.setStroke(new BasicStroke(1f));
    g.drawRect(px0, py0, px1 - px0, py1 - py0);
    for (double t : ticks(limits.xMin(), limits.xMax())) {
      int X = (int) Math.round(sx(t));
      g.drawLine(X, py1, X, py1 + 5);
      String s = tickLabel(t, limits.xMax() - limits.xMin());
      g.drawString(s, X - g.getFontMetrics().stringWidth(s) / 2, py1 + 19);
    }
    for (double t : ticks(limits.yMin(), limits.yMax())) {
      int Y = (int) Math.round(sy(t));
      g.drawLine(px0 - 5, Y, px0, Y);
      String s = tickLabel(t, limits.yMax() - limits.yMin());
      g.drawString(s, px0 - 8 - g.getFontMetrics().stringWidth(s), Y + 4);
    }
    g.setFont(g.getFont().deriveFont(14f));
    g.drawString(xLabel, (px0 + px1 - g.getFontMetrics().stringWidth(xLabel)) / 2, H - 15);
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2);
    g.drawString(yLabel, -(py0 + py1 + g.getFontMetrics().stringWidth(yLabel)) / 2, 22);
    g.setTransform(saved);
    g.drawString(title, px0, 20);
    g.setFont(g.getFont().deriveFont(12f));
  }

  private void point(Graphics2D g, int i, Color c) {
    double X = sx(x[i]);
    double Y = sy(y[i]);
    if (!Double.isFinite(X) || !Double.isFinite(Y)) {
      return;
    }
    g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 153));
    g.fill(new Ellipse2D.Double(X - 3.5, Y - 3.5, 7, 7));
  }

  /** Density of x above the plot and of y to its right, both scaled to the band by the given maxima. */
  private void marginals(Graphics2D g, double[] dx, double[] dy, double maxX, double maxY, Color c) {
    Color fill = new Color(c.getRed(), c.getGreen(), c.getBlue(), 60);
    int top = py0 - GAP;
    Path2D.Double up = new Path2D.Double();
    up.moveTo(px0, top);
    for (int k = 0; k < GRID; k++) {
      double h = maxX > 0 ? dx[k] / maxX * BAND : 0;
      up.lineTo(px0 + k * (px1 - px0) / (GRID - 1.0), top - h);
    }
    up.lineTo(px1, top);
    int left = px1 + GAP;
    Path2D.Double right = new Path2D.Double();
    right.moveTo(left, py1);
    for (int k = 0; k < GRID; k++) {
      double w = maxY > 0 ? dy[k] / maxY * BAND : 0;
      right.lineTo(left + w, py1 - k * (py1 - py0) / (GRID - 1.0));
    }
    right.lineTo(left, py0);
    for (Path2D.Double p : List.of(up, right)) {
      g.setColor(fill);
      g.fill(p);
      g.setColor(c);
      g.setStroke(new BasicStroke(1.5f));
      g.draw(p);
    }
  }

  private void legend(Graphics2D g, String name, List<String> order) {
    int X = px1 + GAP + 4;
    int Y = 14;
    g.setColor(Color.BLACK);
    g.drawString(name, X, Y + 10);
    for (int k = 0; k < order.size(); k++) {
      g.setColor(PALETTE[k % PALETTE.length]);
      g.fill(new Ellipse2D.Double(X, Y + 18 + 16 * k, 9, 9));
      g.setColor(Color.BLACK);
      g.drawString(order.get(k), X + 14, Y + 27 + 16 * k);
    }
  }

  private void colourBar(Graphics2D g, String name, double lo, double hi) {
    int X = px1 + GAP + 4;
    g.setColor(Color.BLACK);
    g.drawString(name, X, 24);
    for (int k = 0; k < 80; k++) {
      g.setColor(viridis(k / 79.0));
      g.fillRect(X + k, 32, 1, 14);
    }
    g.setColor(Color.BLACK);
    if (hi >= lo) {
      g.drawString(tickLabel(lo, hi - lo), X, 62);
      String s = tickLabel(hi, hi - lo);
      g.drawString(s, X + 80 - g.getFontMetrics().stringWidth(s), 62);
    }
  }

  /** Gaussian KDE with Scott's factor n^(-1/5) times the sample standard deviation, on GRID points. */
  static double[] kde(double[] v, double lo, double hi) {
    double[] d = new double[GRID];
    int n = v.length;
    if (n < 2) {
      return d;
    }
    double mean = 0;
    for (double a : v) {
      mean += a / n;
    }
    double ss = 0;
    for (double a : v) {
      ss += (a - mean) * (a - mean);
    }
    double bw = Math.sqrt(ss / (n - 1)) * Math.pow(n, -0.2);
    if (!(bw > 0)) {
      return d;
    }
    for (int k = 0; k < GRID; k++) {
      double t = lo + k * (hi - lo) / (GRID - 1);
      double s = 0;
      for (double a : v) {
        double z = (t - a) / bw;
        s += Math.exp(-0.5 * z * z);
      }
      d[k] = s / (n * bw * Math.sqrt(2 * Math.PI));
    }
    return d;
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

  /** About five ticks at 1, 2 or 5 times a power of ten. */
  static List<Double> ticks(double lo, double hi) {
    double raw = (hi - lo) / 5;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double r = raw / mag;
    double step = (r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10) * mag;
    List<Double> out = new ArrayList<>();
    for (double t = Math.ceil(lo / step) * step; t <= hi + 1e-9 * step; t += step) {
      out.add(Math.abs(t) < 1e-12 * step ? 0.0 : t);
    }
    return out;
  }

  private static String tickLabel(double v, double range) {
    int decimals = Math.max(0, 1 - (int) Math.floor(Math.log10(Math.max(range, 1e-12) / 5)));
    return String.format(Locale.ROOT, "%." + Math.min(decimals, 6) + "f", v);
  }

  private static List<Integer> rowsOf(String[] group, String level) {
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < group.length; i++) {
      if (level.equals(group[i])) {
        rows.add(i);
      }
    }
    return rows;
  }

  private static double[] pick(double[] v, List<Integer> rows) {
    return rows.stream().mapToDouble(i -> v[i]).toArray();
  }

  private static double[] scaled(double[] v, double f) {
    double[] out = v.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] *= f;
    }
    return out;
  }

  private static double max(double[] v) {
    double m = 0;
    for (double d : v) {
      m = Math.max(m, d);
    }
    return m;
  }
}
