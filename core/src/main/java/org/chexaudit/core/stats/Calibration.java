package org.chexaudit.core.stats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reliability curve and expected calibration error with equal-width bins on [0, 1]. Bins are
 * assigned as {@code sklearn.calibration.calibration_curve(strategy='uniform')} does (a value on
 * an inner edge goes to the lower bin); empty bins have no point.
 */
public final class Calibration implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  public static final int DEFAULT_BINS = 10;

  /** One non-empty bin: mean predicted probability, observed fraction of positives, count. */
  public static final class Point implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    public final int bin;
    public final double meanPredicted;
    public final double fractionPositive;
    public final long count;

    Point(int bin, double meanPredicted, double fractionPositive, long count) {
      this.bin = bin;
      this.meanPredicted = meanPredicted;
      this.fractionPositive = fractionPositive;
      this.count = count;
    }
  }

  private final List<Point> points;
  private final double ece;

  private Calibration(List<Point> points, double ece) {
    this.points = points;
    this.ece = ece;
  }

  /** Calibration of probabilities {@code p} (each in [0, 1]) against 0/1 labels. */
  public static Calibration of(int[] y, double[] p, int bins) {
    BinaryCurve.checkLengths(y, p);
    if (bins < 1) {
      throw new IllegalArgumentException("bins must be >= 1, got " + bins);
    }
    double[] sumP = new double[bins];
    double[] sumY = new double[bins];
    long[] count = new long[bins];
    for (int i = 0; i < p.length; i++) {
      if (!(p[i] >= 0 && p[i] <= 1)) {
        throw new IllegalArgumentException("probability at index " + i + " is " + p[i]
            + ", outside [0, 1] (pass logits through a sigmoid first)");
      }
      int b = bin(p[i], bins);
      sumP[b] += p[i];
      sumY[b] += y[i];
      count[b]++;
    }
    return fromBins(sumP, sumY, count, p.length);
  }

  /** Calibration of a weighted sample: distinct probabilities with positive and negative counts. */
  static Calibration ofCounts(double[] p, long[] positives, long[] negatives, int bins) {
    if (bins < 1) {
      throw new IllegalArgumentException("bins must be >= 1, got " + bins);
    }
    double[] sumP = new double[bins];
    double[] sumY = new double[bins];
    long[] count = new long[bins];
    long total = 0;
    for (int i = 0; i < p.length; i++) {
      int b = bin(p[i], bins);
      long c = positives[i] + negatives[i];
      sumP[b] += p[i] * c;
      sumY[b] += positives[i];
      count[b] += c;
      total += c;
    }
    return fromBins(sumP, sumY, count, total);
  }

  /** Points of the non-empty bins and the ECE, from each bin's sums of p and y and its count of {@code total}. */
  static Calibration fromBins(double[] sumP, double[] sumY, long[] count, long total) {
    List<Point> points = new ArrayList<>();
    double ece = 0;
    for (int b = 0; b < count.length; b++) {
      if (count[b] > 0) {
        double conf = sumP[b] / count[b];
        double acc = sumY[b] / count[b];
        points.add(new Point(b, conf, acc, count[b]));
        ece += (double) count[b] / total * Math.abs(acc - conf);
      }
    }
    return new Calibration(Collections.unmodifiableList(points), total == 0 ? Double.NaN : ece);
  }

  /** Number of inner edges strictly below p (numpy searchsorted side='left' on linspace edges k*(1/bins)). */
  static int bin(double p, int bins) {
    double step = 1.0 / bins;
    int b = 0;
    for (int k = 1; k < bins; k++) {
      if (k * step < p) {
        b = k;
      } else {
        break;
      }
    }
    return b;
  }

  public List<Point> points() {
    return points;
  }

  /** Σ_b (n_b / n) · |fraction positive_b − mean predicted_b|. */
  public double expectedCalibrationError() {
    return ece;
  }
}
