package org.chexaudit.transforms.image;

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

  /** Adds {@code weight * row} to {@code acc}: the inner loop of the resampler, kept here per storage type. */
  void addScaledRow(int row, double weight, double[] acc) {
    int off = row * width;
    if (bytes != null) {
      for (int x = 0; x < width; x++) {
        acc[x] += weight * (bytes[off + x] & 0xff);
      }
    } else {
      for (int x = 0; x < width; x++) {
        acc[x] += weight * floats[off + x];
      }
    }
  }

  /** {min, max} over all pixels. */
  double[] range() {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    int n = width * height;
    if (bytes != null) {
      int lo = 255;
      int hi = 0;
      for (int i = 0; i < n; i++) {
        int v = bytes[i] & 0xff;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
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
