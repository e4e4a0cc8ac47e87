package org.chexaudit.core.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes JPEG and PNG files (anything {@code javax.imageio} reads) into a {@link GreyImage}.
 *
 * <ul>
 *   <li>8-bit greyscale (CheXpert's JPEGs) is kept exactly, as {@code skimage.io.imread} returns it;
 *   <li>other greyscale bit depths (16-bit PNG, 1/2/4-bit) are mapped to 0..255 by
 *       {@code v * 255 / (2^bits - 1)}. The original never met them; its {@code astype(uint8)} would wrap
 *       16-bit values modulo 256, which no one wants;
 *   <li>colour is converted to luminance with scikit-image's {@code rgb2gray} weights
 *       {@code 0.2125 R + 0.7154 G + 0.0721 B} (what {@code imread(as_gray=True)} uses), on the 0..255
 *       scale; alpha is ignored; palette images go through their palette.
 * </ul>
 *
 * Pixels are read from the raster, never through {@code getRGB}, which would re-map grey levels through
 * a colour space. A decoder warning (libjpeg's "premature end of data", a bad Huffman code) means the
 * pixels were partly invented, so it counts as a corrupt image.
 */
public final class ImageDecoder {
  static final double RED = 0.2125;
  static final double GREEN = 0.7154;
  static final double BLUE = 0.0721;
  /**
   * Most pixels decoded from one file (64 megapixels, 8000 x 8000; CheXpert's largest are about
   * 3000 x 3000). The header's dimensions are checked before decoding, so a file that claims
   * 20000 x 20000 is refused without allocating its raster.
   */
  public static final long MAX_PIXELS = 64L * 1024 * 1024;

  private ImageDecoder() {}

  static {
    // Decoding from memory: no temporary files per image.
    ImageIO.setUseCache(false);
  }

  /** Reads and decodes a file; missing, empty and unreadable files are reported as such. */
  public static GreyImage decode(Path file) throws ImageDecodeException {
    return decode(read(file));
  }

  /** A file's bytes, for any {@link GreyDecoder}; missing and unreadable files are reported as such. */
  public static byte[] read(Path file) throws ImageDecodeException {
    byte[] data;
    try (InputStream in = Files.newInputStream(file)) {
      data = in.readAllBytes();
    } catch (NoSuchFileException e) {
      throw new ImageDecodeException(ImageDecodeException.Reason.MISSING, "no such file");
    } catch (IOException e) {
      if (Files.isDirectory(file)) {
        throw new ImageDecodeException(ImageDecodeException.Reason.UNREADABLE, "is a folder");
      }
      throw new ImageDecodeException(ImageDecodeException.Reason.UNREADABLE, String.valueOf(e.getMessage()));
    }
    return data;
  }

  /** Decodes an encoded image held in memory. */
  public static GreyImage decode(byte[] data) throws ImageDecodeException {
    if (data.length == 0) {
      throw new ImageDecodeException(ImageDecodeException.Reason.EMPTY, "0 bytes");
    }
    BufferedImage image;
    String format;
    List<String> warnings = new ArrayList<>();
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new ImageDecodeException(ImageDecodeException.Reason.NOT_AN_IMAGE,
            "no image reader recognises the first bytes (" + data.length + " bytes)");
      }
      ImageReader reader = readers.next();
      format = reader.getFormatName();
      try {
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        reader.setInput(in, true, true);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > MAX_PIXELS) {
          throw new ImageDecodeException(ImageDecodeException.Reason.TOO_LARGE,
              format + " header says " + reader.getWidth(0) + "x" + reader.getHeight(0) + " ("
                  + pixels + " pixels, limit " + MAX_PIXELS + ")");
        }
        image = reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IIOException e) {
      String m = String.valueOf(e.getMessage());
      ImageDecodeException.Reason r = m.contains("Unsupported")
          ? ImageDecodeException.Reason.UNSUPPORTED
          : ImageDecodeException.Reason.CORRUPT;
      throw new ImageDecodeException(r, m);
    } catch (IOException | RuntimeException e) {
      throw new ImageDecodeException(ImageDecodeException.Reason.CORRUPT, e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
    if (!warnings.isEmpty()) {
      throw new ImageDecodeException(ImageDecodeException.Reason.CORRUPT,
          format + " decoder warning: " + String.join("; ", warnings));
    }
    return toGrey(image);
  }

  /** The pixels of a decoded image as one grey channel (see the class comment for the rules). */
  static GreyImage toGrey(BufferedImage image) throws ImageDecodeException {
    int w = image.getWidth();
    int h = image.getHeight();
    Raster raster = image.getRaster();
    ColorModel cm = image.getColorModel();
    int bands = raster.getNumBands();
    if (cm instanceof IndexColorModel icm) {
      return fromPalette(raster, icm, w, h);
    }
    int colourBands = bands - (cm.hasAlpha() ? 1 : 0);
    if (colourBands == 1) {
      int bits = raster.getSampleModel().getSampleSize(0);
      if (bits == 8) {
        return GreyImage.ofBytes(w, h, eightBitBand(raster, w, h));
      }
      return GreyImage.ofFloats(w, h, scaledBand(raster, 0, bits, w, h));
    }
    if (colourBands == 3 && cm.getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_RGB) {
      float[] r = scaledBand(raster, 0, raster.getSampleModel().getSampleSize(0), w, h);
      float[] g = scaledBand(raster, 1, raster.getSampleModel().getSampleSize(1), w, h);
      float[] b = scaledBand(raster, 2, raster.getSampleModel().getSampleSize(2), w, h);
      for (int i = 0; i < r.length; i++) {
        r[i] = (float) (RED * r[i] + GREEN * g[i] + BLUE * b[i]);
      }
      return GreyImage.ofFloats(w, h, r);
    }
    throw new ImageDecodeException(ImageDecodeException.Reason.UNSUPPORTED,
        bands + " bands in colour space type " + cm.getColorSpace().getType());
  }

  /** The single 8-bit band, copied straight from the data buffer when it is laid out plainly. */
  private static byte[] eightBitBand(Raster raster, int w, int h) {
    if (raster.getDataBuffer() instanceof DataBufferByte buf
        && raster.getSampleModel() instanceof ComponentSampleModel sm
        && sm.getNumBands() == 1 && sm.getPixelStride() == 1 && sm.getScanlineStride() == w
        && buf.getNumBanks() == 1 && buf.getOffset() == 0 && raster.getParent() == null
        && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0
        && buf.getData().length == w * h) {
      return buf.getData();
    }
    byte[] out = new byte[w * h];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        out[y * w + x] = (byte) row[x];
      }
    }
    return out;
  }

  private static float[] scaledBand(Raster raster, int band, int bits, int w, int h) {
    double scale = bits == 8 ? 1 : 255.0 / ((1L << bits) - 1);
    float[] out = new float[w * h];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, band, row);
      for (int x = 0; x < w; x++) {
        out[y * w + x] = (float) (row[x] * scale);
      }
    }
    return out;
  }

  private static GreyImage fromPalette(Raster raster, IndexColorModel icm, int w, int h) {
    float[] out = new float[w * h];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        int i = row[x];
        out[y * w + x] = (float) (RED * icm.getRed(i) + GREEN * icm.getGreen(i) + BLUE * icm.getBlue(i));
      }
    }
    return GreyImage.ofFloats(w, h, out);
  }
}
