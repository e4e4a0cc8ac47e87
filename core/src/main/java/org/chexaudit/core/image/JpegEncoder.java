package org.chexaudit.core.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes 8-bit grey pixels as a greyscale JPEG, like the original's {@code skimage.io.imsave} of the
 * {@code preproc_224x224/} files (Pillow's default quality 75; here javax.imageio at quality 0.75, so
 * the bytes differ slightly from Pillow's). The generator writes its images with it too.
 */
public final class JpegEncoder {
  public static final float DEFAULT_QUALITY = 0.75f;

  private JpegEncoder() {}

  /** {@code quality} in percent (1–100), as Pillow and the generator's options give it. */
  public static byte[] encodePercent(byte[] pixels, int width, int height, int quality) throws IOException {
    if (quality < 1 || quality > 100) {
      throw new IllegalArgumentException("JPEG quality must be 1-100, got " + quality);
    }
    return encode(pixels, width, height, quality / 100f);
  }

  public static byte[] encode(byte[] pixels, int width, int height, float quality) throws IOException {
    if (pixels.length != width * height) {
      throw new IllegalArgumentException(
          "JPEG of " + width + "x" + height + " needs " + width * height + " pixels, got " + pixels.length);
    }
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    byte[] target = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    System.arraycopy(pixels, 0, target, 0, pixels.length);
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    // in memory: ImageIO.createImageOutputStream may cache through a temporary file
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.setOutput(out);
      writer.write(null, new IIOImage(img, null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
