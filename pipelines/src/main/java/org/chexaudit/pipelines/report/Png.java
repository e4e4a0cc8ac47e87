package org.chexaudit.pipelines.report;

import java.awt.image.RenderedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.chexaudit.transforms.io.Resources;
import org.knowm.xchart.BitmapEncoder;

/**
 * The static figures (XChart charts, or an image composed of several) as PNG files written through
 * {@link Resources}: any Beam path.
 */
public final class Png {
  private Png() {}

  /** Renders {@code chart} at its own size, as XChart's {@link BitmapEncoder} does, and writes it. */
  public static void write(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, ResourceId file) {
    write(BitmapEncoder.getBufferedImage(chart), file);
  }

  /**
   * Starts drawing and encoding one small throw-away chart on a background daemon thread and returns at once.
   * The first figure of a JVM pays for loading Java2D, its fonts, XChart and the PNG writer (about 0.3 s on
   * two cores, against 60-80 ms a figure after that); a command that will write figures once its pipeline
   * ends calls this as the pipeline starts, when a core is mostly idle. Failures are ignored: the real
   * figures report their own.
   */
  public static void warmUpInBackground() {
    Thread t = new Thread(() -> {
      try {
        org.knowm.xchart.XYChart chart = new org.knowm.xchart.XYChartBuilder().width(64).height(64).title("warm-up")
            .xAxisTitle("x").yAxisTitle("y").build();
        chart.addSeries("a (AUC 0.500)", new double[] {0, 1}, new double[] {0, 1});
        ImageIO.write(BitmapEncoder.getBufferedImage(chart), "png", OutputStream.nullOutputStream());
      } catch (IOException | RuntimeException | LinkageError e) {
        // nothing to warm up (e.g. a headless JVM without fonts): the real figures say why
      }
    }, "figure-warm-up");
    t.setDaemon(true);
    t.start();
  }

  public static void write(RenderedImage image, ResourceId file) {
    try (OutputStream o = Resources.create(file)) {
      if (!ImageIO.write(image, "png", o)) {
        throw new IllegalStateException("no PNG writer for " + file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
