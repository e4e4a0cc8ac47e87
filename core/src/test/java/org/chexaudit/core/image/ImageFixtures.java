package org.chexaudit.core.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;

/** Small encoded images for decoder and transform tests. */
public final class ImageFixtures {
  private ImageFixtures() {}

  /** A greyscale JPEG of noise (seeded), so truncating it cuts real entropy-coded data. */
  public static byte[] greyJpeg(int width, int height, long seed) throws IOException {
    Random rnd = new Random(seed);
    byte[] px = new byte[width * height];
    rnd.nextBytes(px);
    return JpegEncoder.encode(px, width, height, 0.9f);
  }

  /** A uniform 16-bit greyscale PNG. */
  public static byte[] grey16Png(int width, int height, int value) throws IOException {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
    short[] data = new short[width * height];
    Arrays.fill(data, (short) value);
    img.getRaster().setDataElements(0, 0, width, height, data);
    return encode(img, "png");
  }

  /** A uniform colour image in the given format (png or jpeg). */
  public static byte[] rgb(int width, int height, int r, int g, int b, String format) throws IOException {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return encode(img, format);
  }

  private static byte[] encode(BufferedImage img, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(img, format, out)) {
      throw new IOException("no writer for " + format);
    }
    return out.toByteArray();
  }
}
