package org.chexaudit.pipelines.report;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.chexaudit.transforms.io.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The written PNG: its size, and colour where the scatter and both marginal densities are drawn. */
class JointPlotTest {
  private static final int N = 450;
  /** Below the title and above the scatter, as wide as the scatter chart. */
  private static final Rectangle TOP = new Rectangle(0, JointPlot.TITLE,
      JointPlot.W - JointPlot.BAND - JointPlot.GAP, JointPlot.BAND);
  /** Right of the scatter chart, level with it. */
  private static final Rectangle RIGHT = new Rectangle(JointPlot.W - JointPlot.BAND, JointPlot.TITLE + JointPlot.BAND,
      JointPlot.BAND, JointPlot.H - JointPlot.TITLE - JointPlot.BAND);
  private static final Rectangle MAIN = new Rectangle(0, JointPlot.TITLE + JointPlot.BAND,
      JointPlot.W - JointPlot.BAND - JointPlot.GAP, JointPlot.H - JointPlot.TITLE - JointPlot.BAND);

  private final double[] x = new double[N];
  private final double[] y = new double[N];

  JointPlotTest() {
    Random r = new Random(5);
    for (int i = 0; i < N; i++) {
      x[i] = r.nextGaussian() + (i % 3 == 2 ? 2.5 : 0);
      y[i] = 0.5 * r.nextGaussian() + 0.3 * x[i] - (i % 3 == 1 ? 1 : 0);
    }
  }

  private JointPlot plot() {
    return new JointPlot("pca (n=" + N + ")", "PCA Mode 1", "PCA Mode 2", x, y, JointPlot.Limits.of(x, y));
  }

  @Test
  void categoricalHueColoursTheScatterAndBothMarginals(@TempDir Path dir) throws Exception {
    String[] names = {"White", "Black", "Asian"};
    String[] race = IntStream.range(0, N).mapToObj(i -> i % 50 == 0 ? null : names[i % 3]).toArray(String[]::new);
    Path png = dir.resolve("pca-race.png");
    plot().writeCategorical(Resources.file(png.toString()), "race", race, List.of("White", "Black", "Asian", "Other"));

    BufferedImage img = read(png);
    assertThat(coloured(img, MAIN), greaterThan(3000));
    assertThat(coloured(img, TOP), greaterThan(3000));
    assertThat(coloured(img, RIGHT), greaterThan(3000));
    for (int k = 0; k < 3; k++) {
      Color point = blend(JointPlot.PALETTE[k], 0.6);
      assertThat(names[k] + " points", near(img, MAIN, point), greaterThan(50));
      Color fill = blend(JointPlot.PALETTE[k], 64 / 255.0);
      assertThat(names[k] + " density above", near(img, TOP, fill), greaterThan(100));
      assertThat(names[k] + " density right", near(img, RIGHT, fill), greaterThan(100));
    }
  }

  @Test
  void continuousHueColoursTheScatterByBinAndBothMarginals(@TempDir Path dir) throws Exception {
    Random r = new Random(9);
    double[] age = IntStream.range(0, N).mapToDouble(i -> i % 40 == 0 ? Double.NaN : Math.round(20 + 70 * r.nextDouble()))
        .toArray();
    Path png = dir.resolve("pca-age.png");
    plot().writeContinuous(Resources.file(png.toString()), "age", age);

    BufferedImage img = read(png);
    assertThat(coloured(img, MAIN), greaterThan(3000));
    assertThat(coloured(img, TOP), greaterThan(3000));
    assertThat(coloured(img, RIGHT), greaterThan(3000));
    assertThat("youngest bin", near(img, MAIN, blend(JointPlot.viridis(0), 0.6)), greaterThan(50));
    assertThat("oldest bin", near(img, MAIN, blend(JointPlot.viridis(1), 0.6)), greaterThan(50));
    assertThat("missing age", near(img, MAIN, blend(JointPlot.MISSING, 0.6)), greaterThan(20));
  }

  @Test
  void groupsWithoutADensityAndAllMissingValuesStillWrite(@TempDir Path dir) throws Exception {
    String[] one = new String[N];
    one[0] = "White"; // one row: no density; every other row grey
    Path png = dir.resolve("sparse.png");
    plot().writeCategorical(Resources.file(png.toString()), "race", one, List.of("White", "Black"));
    assertThat(coloured(read(png), TOP), is(0));
    double[] none = new double[N];
    java.util.Arrays.fill(none, Double.NaN);
    plot().writeContinuous(Resources.file(png.toString()), "age", none);
    assertThat(coloured(read(png), TOP), greaterThan(3000));
  }

  @Test
  void continuousValuesAreBinnedByRoundWidths() {
    assertThat(labels(18, 90, 45), contains("[10, 20)", "[20, 30)", "[30, 40)", "[40, 50)", "[50, 60)", "[60, 70)",
        "[70, 80)", "[80, 90]"));
    assertThat(labels(0.1, 0.7, 0.3), contains("[0.1, 0.2)", "[0.2, 0.3)", "[0.3, 0.4)", "[0.4, 0.5)", "[0.5, 0.6)",
        "[0.6, 0.7]"));
    JointPlot.Bins tenths = JointPlot.Bins.of(new double[] {0.1, 0.7});
    assertThat(tenths.index(0.3), is(2));
    assertThat(tenths.index(0.7), is(5));
    assertThat(labels(42, 42, Double.NaN), contains("42"));
    assertThat(JointPlot.Bins.of(new double[] {Double.NaN}).count(), is(0));
  }

  private static List<String> labels(double... values) {
    JointPlot.Bins bins = JointPlot.Bins.of(values);
    List<String> out = new ArrayList<>();
    for (int b = 0; b < bins.count(); b++) {
      out.add(bins.label(b));
    }
    return out;
  }

  private static BufferedImage read(Path png) throws Exception {
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth(), is(JointPlot.W));
    assertThat(img.getHeight(), is(JointPlot.H));
    return img;
  }

  /** Pixels that are not grey (black, white and the grey of missing values are all grey). */
  private static int coloured(BufferedImage img, Rectangle r) {
    int n = 0;
    for (int j = r.y; j < r.y + r.height; j++) {
      for (int i = r.x; i < r.x + r.width; i++) {
        Color c = new Color(img.getRGB(i, j));
        int max = Math.max(c.getRed(), Math.max(c.getGreen(), c.getBlue()));
        int min = Math.min(c.getRed(), Math.min(c.getGreen(), c.getBlue()));
        n += max - min > 15 ? 1 : 0;
      }
    }
    return n;
  }

  /** Pixels within 6 of {@code target} in each channel. */
  private static int near(BufferedImage img, Rectangle r, Color target) {
    int n = 0;
    for (int j = r.y; j < r.y + r.height; j++) {
      for (int i = r.x; i < r.x + r.width; i++) {
        Color c = new Color(img.getRGB(i, j));
        n += Math.abs(c.getRed() - target.getRed()) <= 6 && Math.abs(c.getGreen() - target.getGreen()) <= 6
            && Math.abs(c.getBlue() - target.getBlue()) <= 6 ? 1 : 0;
      }
    }
    return n;
  }

  /** {@code c} at opacity {@code alpha} over white. */
  private static Color blend(Color c, double alpha) {
    return new Color((int) Math.round(alpha * c.getRed() + (1 - alpha) * 255),
        (int) Math.round(alpha * c.getGreen() + (1 - alpha) * 255), (int) Math.round(alpha * c.getBlue() + (1 - alpha) * 255));
  }
}
