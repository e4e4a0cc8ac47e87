package org.chexaudit.core.image;

/**
 * CheXclusion's {@code transforms.Scale(size)} (torchvision 0.3, seeds-spec B4): the shorter side
 * becomes {@code size}, the other {@code int(size * long / short)} (truncated), and the image is
 * resampled as Pillow's {@code Image.resize(..., BILINEAR)} does for an 8-bit image
 * ({@code Resample.c}): a triangle filter whose support grows with the shrink factor, coefficients
 * normalised then held in 22-bit fixed point, a horizontal pass (only over the rows the vertical pass
 * reads) rounded to uint8, then a vertical pass rounded to uint8. An image whose shorter side already is
 * {@code size} is returned as it is, as torchvision does.
 */
public final class PillowResize {
  private static final int PRECISION_BITS = 32 - 8 - 2;

  private PillowResize() {}

  /** {@code {height, width}} after Scale(size) of a {@code height x width} image. */
  public static int[] shorterSideShape(int height, int width, int size) {
    if (size <= 0) {
      throw new IllegalArgumentException("shorter-side size must be positive, got " + size);
    }
    if (width <= height) {
      return new int[] {(int) ((long) size * height / width), size};
    }
    return new int[] {size, (int) ((long) size * width / height)};
  }

  /** Scale(size) of {@code img}, row-major uint8 of {@link #shorterSideShape}. */
  public static byte[] shorterSide(GreyImage img, int size) {
    int[] hw = shorterSideShape(img.height(), img.width(), size);
    return resize(uint8(img), img.height(), img.width(), hw[0], hw[1]);
  }

  /** Pillow's BILINEAR resize of a row-major uint8 {@code inHeight x inWidth} image. */
  public static byte[] resize(byte[] src, int inHeight, int inWidth, int outHeight, int outWidth) {
    if (inHeight == outHeight && inWidth == outWidth) {
      return src.clone();
    }
    Coefficients horizontal = Coefficients.of(inWidth, outWidth);
    Coefficients vertical = Coefficients.of(inHeight, outHeight);
    byte[] rows = src;
    int firstRow = 0;
    int rowCount = inHeight;
    if (inWidth != outWidth) {
      firstRow = vertical.bounds[0];
      rowCount = vertical.bounds[2 * outHeight - 2] + vertical.bounds[2 * outHeight - 1] - firstRow;
      rows = new byte[rowCount * outWidth];
      for (int y = 0; y < rowCount; y++) {
        int in = (y + firstRow) * inWidth;
        for (int x = 0; x < outWidth; x++) {
          int min = horizontal.bounds[2 * x];
          int taps = horizontal.bounds[2 * x + 1];
          int ss = 1 << (PRECISION_BITS - 1);
          for (int k = 0; k < taps; k++) {
            ss += (src[in + min + k] & 0xff) * horizontal.fixed[x * horizontal.size + k];
          }
          rows[y * outWidth + x] = clip8(ss);
        }
      }
    }
    if (inHeight == outHeight) {
      return rows;
    }
    byte[] out = new byte[outHeight * outWidth];
    for (int y = 0; y < outHeight; y++) {
      int min = vertical.bounds[2 * y] - firstRow;
      int taps = vertical.bounds[2 * y + 1];
      for (int x = 0; x < outWidth; x++) {
        int ss = 1 << (PRECISION_BITS - 1);
        for (int k = 0; k < taps; k++) {
          ss += (rows[(min + k) * outWidth + x] & 0xff) * vertical.fixed[y * vertical.size + k];
        }
        out[y * outWidth + x] = clip8(ss);
      }
    }
    return out;
  }

  private static byte clip8(int v) {
    if (v >= (1 << PRECISION_BITS << 8)) {
      return (byte) 255;
    }
    return v <= 0 ? 0 : (byte) (v >> PRECISION_BITS);
  }

  /** 8-bit images as they are; others (16-bit, colour) rounded to the nearest grey level. */
  private static byte[] uint8(GreyImage img) {
    int n = img.width() * img.height();
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      out[i] = (byte) Math.max(0, Math.min(255, Math.round(img.get(i))));
    }
    return out;
  }

  /** {@code precompute_coeffs} + {@code normalize_coeffs_8bpc} of Resample.c for the bilinear filter. */
  private static final class Coefficients {
    final int size;
    /** Per output pixel: first input index and number of taps. */
    final int[] bounds;
    final int[] fixed;

    private Coefficients(int size, int[] bounds, int[] fixed) {
      this.size = size;
      this.bounds = bounds;
      this.fixed = fixed;
    }

    static Coefficients of(int in, int out) {
      double scale = (double) in / out;
      double filterScale = Math.max(scale, 1.0);
      double support = 1.0 * filterScale;
      int size = (int) Math.ceil(support) * 2 + 1;
      int[] bounds = new int[2 * out];
      int[] fixed = new int[out * size];
      double[] k = new double[size];
      for (int xx = 0; xx < out; xx++) {
        double center = (xx + 0.5) * scale;
        double ss = 1.0 / filterScale;
        int xmin = Math.max(0, (int) (center - support + 0.5));
        int xmax = Math.min(in, (int) (center + support + 0.5)) - xmin;
        double ww = 0;
        for (int x = 0; x < xmax; x++) {
          double t = Math.abs((x + xmin - center + 0.5) * ss);
          k[x] = t < 1.0 ? 1.0 - t : 0.0;
          ww += k[x];
        }
        for (int x = 0; x < xmax; x++) {
          double w = ww != 0.0 ? k[x] / ww : k[x];
          fixed[xx * size + x] = (int) (w < 0 ? -0.5 + w * (1 << PRECISION_BITS) : 0.5 + w * (1 << PRECISION_BITS));
        }
        bounds[2 * xx] = xmin;
        bounds[2 * xx + 1] = xmax;
      }
      return new Coefficients(size, bounds, fixed);
    }
  }
}
