package org.chexaudit.core.image;

/**
 * A decoded single-channel image on the 0..255 scale, row-major. 8-bit images keep their bytes (no
 * copy to a wider type: a full-size chest X-ray is 6.5 million pixels); 16-bit, low-bit-depth and
 * colour images are held as floats already mapped to 0..255.
 */
public final class GreyImage {
  private final int width;
  private final int height;
  private final byte[] bytes;
  private final float[] floats;

  private GreyImage(int width, int height, byte[] bytes, float[] floats) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
    }
    int n = bytes != null ? bytes.length : floats.length;
    if (n != width * height) {
      throw new IllegalArgumentException(
          "image of " + width + "x" + height + " needs " + width * height + " pixels, got " + n);
    }
    this.width = width;
    this.height = height;
    this.bytes = bytes;
    this.floats = floats;
  }

  /** Unsigned 8-bit pixels, row-major; the array is used as is. */
  public static GreyImage ofBytes(int width, int height, byte[] pixels) {
    return new GreyImage(width, height, pixels, null);
  }

  /** Pixels already on the 0..255 scale, row-major; the array is used as is. */
  public static GreyImage ofFloats(int width, int height, float[] pixels) {
    return new GreyImage(width, height, null, pixels);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** Pixel {@code i} of the row-major array, on the 0..255 scale. */
  public double get(int i) {
    return bytes != null ? bytes[i] & 0xff : floats[i];
  }

  /**
   * Copies row {@code row} into {@code dst} as doubles (exact: every byte and float value is a double),
   * so the resampler converts each input row once and its inner loop runs on doubles, which the JIT
   * vectorises.
   */
  void rowAsDoubles(int row, double[] dst) {
    int off = row * width;
    if (bytes != null) {
      for (int x = 0; x < width; x++) {
        dst[x] = bytes[off + x] & 0xff;
      }
    } else {
      for (int x = 0; x < width; x++) {
        dst[x] = floats[off + x];
      }
    }
  }

  /** {min, max} over all pixels. */
  double[] range() {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    int n = width * height;
    if (bytes != null) {
      // Per row, and stop as soon as both ends of the byte range are seen (most radiographs hold 0 and
      // 255): a plain scan of 6.5 million pixels cost as much as the resampling itself.
      int lo = 255;
      int hi = 0;
      for (int off = 0; off < n && (lo > 0 || hi < 255); off += width) {
        for (int i = off, end = off + width; i < end; i++) {
          int v = bytes[i] & 0xff;
          lo = v < lo ? v : lo;
          hi = v > hi ? v : hi;
        }
      }
      return new double[] {lo, hi};
    }
    for (int i = 0; i < n; i++) {
      min = Math.min(min, floats[i]);
      max = Math.max(max, floats[i]);
    }
    return new double[] {min, max};
  }
}
