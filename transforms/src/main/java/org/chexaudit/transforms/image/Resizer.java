package org.chexaudit.transforms.image;

/**
 * Resizes a {@link GreyImage} as chexploration's pre-processing does:
 * {@code skimage.transform.resize(img, (h, w), preserve_range=True).astype(np.uint8)}, i.e. bilinear,
 * Gaussian anti-aliasing when shrinking, no aspect preservation, output clipped to the input's range,
 * then truncated (not rounded) to uint8.
 */
public final class Resizer {
  private Resizer() {}

  /** The resized image as doubles (before the uint8 cast), row-major {@code height x width}. */
  public static double[] resize(GreyImage img, int height, int width) {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException("output size must be positive, got " + width + "x" + height);
    }
    boolean antiAlias = height < img.height() || width < img.width();
    ResampleKernel ky = ResampleKernel.of(img.height(), height, antiAlias);
    ResampleKernel kx = ResampleKernel.of(img.width(), width, antiAlias);
    double[] out = new double[height * width];
    double[] rowAcc = new double[img.width()];
    for (int oy = 0; oy < height; oy++) {
      java.util.Arrays.fill(rowAcc, 0);
      int[] rows = ky.indices[oy];
      double[] wy = ky.weights[oy];
      for (int j = 0; j < rows.length; j++) {
        img.addScaledRow(rows[j], wy[j], rowAcc);
      }
      for (int ox = 0; ox < width; ox++) {
        int[] cols = kx.indices[ox];
        double[] wx = kx.weights[ox];
        double v = 0;
        for (int j = 0; j < cols.length; j++) {
          v += wx[j] * rowAcc[cols[j]];
        }
        out[oy * width + ox] = v;
      }
    }
    double[] range = img.range();
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.min(range[1], Math.max(range[0], out[i]));
    }
    return out;
  }

  /** {@link #resize} then numpy's {@code astype(np.uint8)} of values in 0..255: truncation toward zero. */
  public static byte[] resizeToUint8(GreyImage img, int height, int width) {
    double[] v = resize(img, height, width);
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (byte) (int) v[i];
    }
    return out;
  }
}
