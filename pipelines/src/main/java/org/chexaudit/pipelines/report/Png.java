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
