package org.chexaudit.core.stats;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Exact sufficient statistics of a labelled score sample: each distinct score (ascending) with its
 * count of positives and negatives. AUC, ROC, rates at any threshold and calibration bins all
 * follow from it exactly, and two histograms merge exactly, so it is the accumulator that lets
 * per-subgroup work be combined across workers.
 *
 * <p>When no point holds more than 127 positives or negatives (continuous scores, with the odd tie) the
 * counts are kept in a byte each, 10 bytes a point instead of 24: {@code metrics} holds every subgroup's
 * segment histograms while it reads them three times (summaries, scans, counts at the threshold), 1.3 GB
 * of counts for 1M rows x 14 labels x 4 subgroups per row. {@link #positives()} and {@link #negatives()}
 * then make the arrays on each call; {@link #positivesAt} and {@link #negativesAt} read either form.
 */
public final class ScoreHistogram implements Serializable {
  private static final long serialVersionUID = 2L;
  private final double[] scores;
  /** Null when the counts are small ({@code smallPositives}, {@code smallNegatives}). */
  private final long[] positives;
  private final long[] negatives;
  private final byte[] smallPositives;
  private final byte[] smallNegatives;

  public ScoreHistogram(double[] scores, long[] positives, long[] negatives) {
    this.scores = scores;
    this.positives = positives;
    this.negatives = negatives;
    this.smallPositives = null;
    this.smallNegatives = null;
  }

  private ScoreHistogram(double[] scores, byte[] smallPositives, byte[] smallNegatives) {
    this.scores = scores;
    this.positives = null;
    this.negatives = null;
    this.smallPositives = smallPositives;
    this.smallNegatives = smallNegatives;
  }

  /** The largest count a point may hold in the small form. */
  static final long SMALL_COUNT = Byte.MAX_VALUE;

  /** Points whose counts are all at most {@link #SMALL_COUNT}, in a byte each. */
  static ScoreHistogram ofSmallCounts(double[] scores, byte[] positives, byte[] negatives) {
    return new ScoreHistogram(scores, positives, negatives);
  }

  /** Positives at point {@code i}. */
  public long positivesAt(int i) {
    return positives == null ? smallPositives[i] : positives[i];
  }

  /** Negatives at point {@code i}. */
  public long negativesAt(int i) {
    return negatives == null ? smallNegatives[i] : negatives[i];
  }

  public static ScoreHistogram empty() {
    return new ScoreHistogram(new double[0], new long[0], new long[0]);
  }

  /** From unsorted positive and negative scores (the arrays are sorted in place). */
  public static ScoreHistogram of(double[] positiveScores, int nPositive, double[] negativeScores, int nNegative) {
    Arrays.sort(positiveScores, 0, nPositive);
    Arrays.sort(negativeScores, 0, nNegative);
    double[] s = new double[nPositive + nNegative];
    long[] p = new long[s.length];
    long[] n = new long[s.length];
    int i = 0, j = 0, k = -1;
    while (i < nPositive || j < nNegative) {
      boolean takePositive = j >= nNegative || (i < nPositive && positiveScores[i] <= negativeScores[j]);
      double v = takePositive ? positiveScores[i++] : negativeScores[j++];
      if (k < 0 || s[k] != v) {
        s[++k] = v;
      }
      if (takePositive) p[k]++; else n[k]++;
    }
    return new ScoreHistogram(Arrays.copyOf(s, k + 1), Arrays.copyOf(p, k + 1), Arrays.copyOf(n, k + 1));
  }

  /** The exact union of two samples. */
  public ScoreHistogram merge(ScoreHistogram o) {
    double[] s = new double[size() + o.size()];
    long[] p = new long[s.length];
    long[] n = new long[s.length];
    int i = 0, j = 0, k = -1;
    while (i < size() || j < o.size()) {
      boolean fromThis = j >= o.size() || (i < size() && scores[i] <= o.scores[j]);
      double v = fromThis ? scores[i] : o.scores[j];
      if (k < 0 || s[k] != v) {
        s[++k] = v;
      }
      if (fromThis) {
        p[k] += positivesAt(i);
        n[k] += negativesAt(i++);
      } else {
        p[k] += o.positivesAt(j);
        n[k] += o.negativesAt(j++);
      }
    }
    return new ScoreHistogram(Arrays.copyOf(s, k + 1), Arrays.copyOf(p, k + 1), Arrays.copyOf(n, k + 1));
  }

  /**
   * The exact union of many samples in one pass (a radix sort of all their points), not one merge per
   * sample, which costs the size of the union each time.
   */
  public static ScoreHistogram mergeAll(java.util.List<ScoreHistogram> parts) {
    int total = 0;
    for (ScoreHistogram h : parts) {
      total += h.size();
    }
    double[] s = new double[total];
    long[] p = new long[total];
    long[] n = new long[total];
    int k = 0;
    for (ScoreHistogram h : parts) {
      System.arraycopy(h.scores, 0, s, k, h.size());
      for (int i = 0; i < h.size(); i++) {
        p[k + i] = h.positivesAt(i);
        n[k + i] = h.negativesAt(i);
      }
      k += h.size();
    }
    SortedScores.Builder out = new SortedScores.Builder();
    for (int i : SortedScores.order(s, total)) {
      out.add(s[i], p[i], n[i]);
    }
    return out.build();
  }

  /** The {@link BinaryCurve} of this sample (distinct scores descending, cumulative counts). */
  public BinaryCurve curve() {
    int m = size();
    double[] thr = new double[m];
    double[] tp = new double[m];
    double[] fp = new double[m];
    double cumTp = 0, cumFp = 0;
    for (int k = 0; k < m; k++) {
      int i = m - 1 - k;
      cumTp += positivesAt(i);
      cumFp += negativesAt(i);
      thr[k] = scores[i];
      tp[k] = cumTp;
      fp[k] = cumFp;
    }
    return BinaryCurve.fromArrays(thr, tp, fp);
  }

  /** Calibration with equal-width bins; null when any score lies outside [0, 1]. */
  public Calibration calibration(int bins) {
    if (size() > 0 && (scores[0] < 0 || scores[size() - 1] > 1)) {
      return null;
    }
    return Calibration.ofCounts(scores, positives(), negatives(), bins);
  }

  /** Positives and negatives with score {@code >= threshold} (none for a NaN threshold). */
  public long[] countsAtOrAbove(double threshold) {
    long tp = 0;
    long fp = 0;
    for (int i = scores.length - 1; i >= 0 && scores[i] >= threshold; i--) {
      tp += positivesAt(i);
      fp += negativesAt(i);
    }
    return new long[] {tp, fp};
  }

  /** The points with index in [{@code from}, {@code to}) (ascending scores). */
  public ScoreHistogram slice(int from, int to) {
    if (positives == null) {
      return new ScoreHistogram(Arrays.copyOfRange(scores, from, to), Arrays.copyOfRange(smallPositives, from, to),
          Arrays.copyOfRange(smallNegatives, from, to));
    }
    return new ScoreHistogram(Arrays.copyOfRange(scores, from, to), Arrays.copyOfRange(positives, from, to),
        Arrays.copyOfRange(negatives, from, to));
  }

  public int size() {
    return scores.length;
  }

  public long totalPositives() {
    long t = 0;
    for (int i = 0; i < size(); i++) t += positivesAt(i);
    return t;
  }

  public long totalNegatives() {
    long t = 0;
    for (int i = 0; i < size(); i++) t += negativesAt(i);
    return t;
  }

  public double[] scores() { return scores; }
  /** Positives per point: the histogram's own array, or a new one when the counts are kept small. */
  public long[] positives() {
    return positives != null ? positives : widen(smallPositives);
  }

  /** Negatives per point: the histogram's own array, or a new one when the counts are kept small. */
  public long[] negatives() {
    return negatives != null ? negatives : widen(smallNegatives);
  }

  private static long[] widen(byte[] counts) {
    long[] out = new long[counts.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = counts[i];
    }
    return out;
  }
}
