package org.chexaudit.core.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Benjamini–Yekutieli FDR correction exactly as {@code statsmodels.stats.multitest.multipletests(
 * method='fdr_by')}: step-up rejection against {@code alpha·i/(m·c(m))}, c(m) = Σ 1/i, and
 * adjusted p = running minimum from the largest p of {@code p·m·c(m)/i}, capped at 1.
 */
public final class BenjaminiYekutieli {
  private final boolean[] rejected;
  private final double[] adjusted;

  private BenjaminiYekutieli(boolean[] rejected, double[] adjusted) {
    this.rejected = rejected;
    this.adjusted = adjusted;
  }

  public static BenjaminiYekutieli adjust(double[] p, double alpha) {
    int m = p.length;
    for (int i = 0; i < m; i++) {
      if (!(p[i] >= 0 && p[i] <= 1)) {
        throw new IllegalArgumentException("p-value at index " + i + " is " + p[i] + ", outside [0, 1]");
      }
    }
    Integer[] sorted = IntStream.range(0, m).boxed().sorted(Comparator.comparingDouble(i -> p[i])).toArray(Integer[]::new);
    double cm = 0;
    for (int i = 1; i <= m; i++) {
      cm += 1.0 / i;
    }
    double[] factor = new double[m];
    int lastReject = -1;
    for (int k = 0; k < m; k++) {
      factor[k] = (k + 1) / (double) m / cm;
      if (p[sorted[k]] <= factor[k] * alpha) {
        lastReject = k;
      }
    }
    boolean[] rejected = new boolean[m];
    double[] adjusted = new double[m];
    double running = Double.POSITIVE_INFINITY;
    for (int k = m - 1; k >= 0; k--) {
      running = Math.min(running, p[sorted[k]] / factor[k]);
      adjusted[sorted[k]] = Math.min(1.0, running);
      rejected[sorted[k]] = k <= lastReject;
    }
    return new BenjaminiYekutieli(rejected, adjusted);
  }

  public boolean[] rejected() {
    return rejected.clone();
  }

  public double[] adjusted() {
    return adjusted.clone();
  }

  @Override
  public String toString() {
    return "BY{rejected=" + Arrays.toString(rejected) + ", adjusted=" + Arrays.toString(adjusted) + "}";
  }
}
