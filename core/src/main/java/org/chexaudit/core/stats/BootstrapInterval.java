package org.chexaudit.core.stats;

import java.util.List;

/**
 * Percentile bootstrap intervals (chexploration A7.2): the point estimate comes from the original
 * sample (replicate 0), the bounds are {@code np.quantile} (linear) of replicates 1..B at
 * (1-level)/2 and (1+level)/2. Replicates where a value is undefined (a group without positives
 * in that draw, where sklearn would raise) are left out of that value's quantiles.
 */
public final class BootstrapInterval {
  private BootstrapInterval() {}

  /** {@code [lower, upper]} for each position of the replicate vectors. */
  public static double[][] percentile(List<double[]> replicates, double level) {
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("level must be in (0, 1), got " + level);
    }
    if (replicates.isEmpty()) {
      throw new IllegalArgumentException("no bootstrap replicates");
    }
    int width = replicates.get(0).length;
    double[][] bounds = new double[width][2];
    double[] column = new double[replicates.size()];
    for (int j = 0; j < width; j++) {
      for (int r = 0; r < column.length; r++) {
        column[r] = replicates.get(r)[j];
      }
      bounds[j][0] = Quantiles.linear(column, (1 - level) / 2);
      bounds[j][1] = Quantiles.linear(column, (1 + level) / 2);
    }
    return bounds;
  }

  /** Runs replicates 1..B in this thread (the Beam {@code Bootstrap} spreads them instead). */
  public static double[][] run(SubgroupEvaluator evaluator, ResampleScheme scheme, long seed,
      int replicates, double level) {
    List<double[]> out = new java.util.ArrayList<>(replicates);
    for (int r = 1; r <= replicates; r++) {
      out.add(evaluator.evaluate(scheme.weights(seed, r)));
    }
    return percentile(out, level);
  }
}
