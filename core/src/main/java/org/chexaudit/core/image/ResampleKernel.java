package org.chexaudit.core.image;

import java.util.TreeMap;

/**
 * One axis of scikit-image's {@code resize(order=1, mode='reflect', anti_aliasing=True)} as a sparse
 * matrix: output sample {@code o} is {@code sum_j weights[o][j] * input[indices[o][j]]}.
 *
 * <p>It composes the two linear steps skimage runs (0.19: {@code ndi.gaussian_filter} then
 * {@code ndi.zoom(grid_mode=True)}; 0.18: the same filter then {@code warp}):
 *
 * <ol>
 *   <li>Gaussian pre-filter with {@code sigma = max(0, (in/out - 1) / 2)}, SciPy's kernel
 *       ({@code exp(-x^2 / 2 sigma^2)} normalised, radius {@code int(4 sigma + 0.5)}), edges extended by
 *       SciPy's 'mirror' mode ({@code d c b | a b c d | c b a}), which is what skimage's 'reflect' maps to;
 *   <li>linear interpolation at pixel-centre-aligned coordinates {@code c = (o + 0.5) * in/out - 0.5},
 *       with the same mirror extension.
 * </ol>
 *
 * Folding both into one kernel per output sample means a 2,828-row image is filtered only at the rows
 * the interpolation reads, which is what makes full-size pre-processing fast; the result is the same
 * linear map up to floating-point rounding.
 */
final class ResampleKernel {
  final int[][] indices;
  final double[][] weights;

  private ResampleKernel(int[][] indices, double[][] weights) {
    this.indices = indices;
    this.weights = weights;
  }

  /**
   * @param antiAlias whether to apply the Gaussian pre-filter (skimage applies it on every axis when any
   *     axis shrinks; sigma is 0 on an axis that does not shrink)
   */
  static ResampleKernel of(int inSize, int outSize, boolean antiAlias) {
    if (inSize <= 0 || outSize <= 0) {
      throw new IllegalArgumentException("sizes must be positive, got in=" + inSize + " out=" + outSize);
    }
    double scale = (double) inSize / outSize;
    double sigma = antiAlias ? Math.max(0, (scale - 1) / 2) : 0;
    double[] gauss = gaussian(sigma);
    int radius = gauss.length / 2;
    int[][] idx = new int[outSize][];
    double[][] w = new double[outSize][];
    for (int o = 0; o < outSize; o++) {
      double c = (o + 0.5) * scale - 0.5;
      int i0 = (int) Math.floor(c);
      double t = c - i0;
      TreeMap<Integer, Double> taps = new TreeMap<>();
      addFiltered(taps, mirror(i0, inSize), 1 - t, gauss, radius, inSize);
      if (t != 0) {
        addFiltered(taps, mirror(i0 + 1, inSize), t, gauss, radius, inSize);
      }
      idx[o] = taps.keySet().stream().mapToInt(Integer::intValue).toArray();
      w[o] = taps.values().stream().mapToDouble(Double::doubleValue).toArray();
    }
    return new ResampleKernel(idx, w);
  }

  /** Adds {@code weight * gaussian-filtered input[centre]} to the taps. */
  private static void addFiltered(
      TreeMap<Integer, Double> taps, int centre, double weight, double[] gauss, int radius, int n) {
    for (int k = -radius; k <= radius; k++) {
      taps.merge(mirror(centre + k, n), weight * gauss[k + radius], Double::sum);
    }
  }

  /** SciPy's normalised Gaussian kernel ({@code _gaussian_kernel1d}, truncate=4); {1} when sigma is ~0. */
  static double[] gaussian(double sigma) {
    if (sigma <= 1e-15) {
      return new double[] {1};
    }
    int radius = (int) (4.0 * sigma + 0.5);
    double[] k = new double[2 * radius + 1];
    double sum = 0;
    for (int x = -radius; x <= radius; x++) {
      k[x + radius] = Math.exp(-0.5 / (sigma * sigma) * x * x);
      sum += k[x + radius];
    }
    for (int i = 0; i < k.length; i++) {
      k[i] /= sum;
    }
    return k;
  }

  /** SciPy's 'mirror' extension: reflect about the edge samples, period 2(n-1). */
  static int mirror(int i, int n) {
    if (n == 1) {
      return 0;
    }
    int period = 2 * (n - 1);
    int m = Math.floorMod(i, period);
    return m < n ? m : period - m;
  }
}
