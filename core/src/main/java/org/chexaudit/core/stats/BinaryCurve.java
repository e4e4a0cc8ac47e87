package org.chexaudit.core.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Cumulative true/false positive counts at each distinct score, highest score first: scikit-learn's
 * {@code _binary_clf_curve}, the common core of {@link RocCurve} and {@link PrecisionRecallCurve}.
 *
 * <p>Optional integer weights (multiplicities) make a bootstrap replicate cheap: a sample drawn
 * with replacement is the original sample with each row repeated {@code weight} times, and rows of
 * weight 0 are absent (they contribute no threshold). The result is identical to sklearn on the
 * materialised replicate.
 */
public final class BinaryCurve {
  private final double[] thresholds;
  private final double[] tps;
  private final double[] fps;

  private BinaryCurve(double[] thresholds, double[] tps, double[] fps) {
    this.thresholds = thresholds;
    this.tps = tps;
    this.fps = fps;
  }

  /** The curve of labels {@code y} (0/1) and scores {@code s}. */
  public static BinaryCurve of(int[] y, double[] s) {
    checkLengths(y, s);
    return ofSorted(y, s, descendingOrder(s), null);
  }

  /**
   * The curve of a weighted sample: {@code order} lists row indices by descending score (see
   * {@link #descendingOrder}), {@code weights} the multiplicity of each row (null = all 1).
   */
  public static BinaryCurve ofSorted(int[] y, double[] s, int[] order, int[] weights) {
    int m = order.length;
    double[] thr = new double[m];
    double[] tp = new double[m];
    double[] fp = new double[m];
    int k = 0;
    double cumTp = 0;
    double cumFp = 0;
    boolean open = false;
    for (int idx = 0; idx < m; idx++) {
      int i = order[idx];
      int w = weights == null ? 1 : weights[i];
      if (w == 0) {
        continue;
      }
      if (open && s[i] != thr[k - 1]) {
        open = false;
      }
      if (y[i] == 1) {
        cumTp += w;
      } else {
        cumFp += w;
      }
      if (!open) {
        thr[k] = s[i];
        k++;
        open = true;
      }
      tp[k - 1] = cumTp;
      fp[k - 1] = cumFp;
    }
    return new BinaryCurve(Arrays.copyOf(thr, k), Arrays.copyOf(tp, k), Arrays.copyOf(fp, k));
  }

  /** A curve from its arrays: distinct thresholds descending with cumulative counts. */
  static BinaryCurve fromArrays(double[] thresholds, double[] tps, double[] fps) {
    return new BinaryCurve(thresholds, tps, fps);
  }

  /** Row indices sorted by descending score (ties in any order: they form one curve point). */
  public static int[] descendingOrder(double[] s) {
    for (int i = 0; i < s.length; i++) {
      if (Double.isNaN(s[i])) {
        throw new IllegalArgumentException("score at index " + i + " is NaN");
      }
    }
    return IntStream.range(0, s.length)
        .boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> s[i]).reversed())
        .mapToInt(Integer::intValue)
        .toArray();
  }

  static void checkLengths(int[] y, double[] s) {
    if (y.length != s.length) {
      throw new IllegalArgumentException(
          "labels and scores differ in length: y.length=" + y.length + ", s.length=" + s.length);
    }
    for (int i = 0; i < y.length; i++) {
      if (y[i] != 0 && y[i] != 1) {
        throw new IllegalArgumentException("label at index " + i + " is " + y[i] + ", expected 0 or 1");
      }
    }
  }

  /** Distinct scores, descending. */
  public double[] thresholds() {
    return thresholds.clone();
  }

  /** True positives with score >= thresholds[i]. */
  public double[] truePositives() {
    return tps.clone();
  }

  /** False positives with score >= thresholds[i]. */
  public double[] falsePositives() {
    return fps.clone();
  }

  public int size() {
    return thresholds.length;
  }

  public double positives() {
    return tps.length == 0 ? 0 : tps[tps.length - 1];
  }

  public double negatives() {
    return fps.length == 0 ? 0 : fps[fps.length - 1];
  }

  double tp(int i) {
    return tps[i];
  }

  double fp(int i) {
    return fps[i];
  }

  double threshold(int i) {
    return thresholds[i];
  }
}
