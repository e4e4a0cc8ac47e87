package org.chexaudit.core.image;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

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
    ResampleKernel ky = kernel(img.height(), height, antiAlias);
    ResampleKernel kx = kernel(img.width(), width, antiAlias);
    double[] out = new double[height * width];
    double[] rowAcc = new double[img.width()];
    RowCache rows = new RowCache(img);
    for (int oy = 0; oy < height; oy++) {
      Arrays.fill(rowAcc, 0);
      int[] taps = ky.indices[oy];
      double[] wy = ky.weights[oy];
      rows.evictBelow(taps[0]);
      for (int j = 0; j < taps.length; j++) {
        addScaled(rows.get(taps[j]), wy[j], rowAcc);
      }
      for (int ox = 0; ox < width; ox++) {
        int[] cols = kx.indices[ox];
        double[] wx = kx.weights[ox];
        double v = 0;
        for (int k = 0; k < cols.length; k++) {
          v += wx[k] * rowAcc[cols[k]];
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

  /**
   * Kernels are read-only and a data set has few distinct image sizes, so they are built once per
   * (input, output, anti-aliasing) instead of once per image (building one boxes every tap).
   */
  private static final int MAX_CACHED_KERNELS = 256;

  private static final ConcurrentHashMap<List<Integer>, ResampleKernel> KERNELS = new ConcurrentHashMap<>();

  private static ResampleKernel kernel(int in, int out, boolean antiAlias) {
    if (KERNELS.size() > MAX_CACHED_KERNELS) {
      KERNELS.clear();
    }
    return KERNELS.computeIfAbsent(List.of(in, out, antiAlias ? 1 : 0),
        k -> ResampleKernel.of(in, out, antiAlias));
  }

  /** {@code acc += weight * row}, element by element (same rounding as scaling the raw pixels). */
  private static void addScaled(double[] row, double weight, double[] acc) {
    for (int x = 0; x < acc.length; x++) {
      acc[x] += weight * row[x];
    }
  }

  /**
   * Input rows converted to doubles once each. An output row's taps are sorted and both their first and
   * last index only grow from one output row to the next, so rows below the current first tap are never
   * read again and their arrays are recycled: a window of about {@code 2 * (4 sigma + 1)} rows is live.
   */
  private static final class RowCache {
    private final GreyImage img;
    private final double[][] converted;
    private final ArrayDeque<double[]> free = new ArrayDeque<>();
    private int lowest;

    RowCache(GreyImage img) {
      this.img = img;
      this.converted = new double[img.height()][];
    }

    double[] get(int row) {
      double[] r = converted[row];
      if (r == null) {
        r = free.isEmpty() ? new double[img.width()] : free.pop();
        img.rowAsDoubles(row, r);
        converted[row] = r;
      }
      return r;
    }

    void evictBelow(int row) {
      for (; lowest < row; lowest++) {
        if (converted[lowest] != null) {
          free.push(converted[lowest]);
          converted[lowest] = null;
        }
      }
    }
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
