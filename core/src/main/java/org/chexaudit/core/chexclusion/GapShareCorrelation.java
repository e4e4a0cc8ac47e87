package org.chexaudit.core.chexclusion;

import java.util.ArrayList;
import java.util.List;
import org.chexaudit.core.stats.Correlation;

/**
 * {@code CorrelationCoefficients.ipynb} (spec B7): per group, Pearson r between the mean gap and the
 * mean share of positives across labels (labels with either undefined are dropped), significant when
 * p rounded to 4 dp is at most the Bonferroni threshold (0.05/33 in the paper). Fewer than three
 * complete labels give r and p NaN: two points always correlate perfectly.
 */
public final class GapShareCorrelation {
  /** One group's correlation over {@code n} labels. */
  public record Row(String attribute, String group, int n, double r, double p, boolean significant) {}

  private GapShareCorrelation() {}

  public static List<Row> of(MeanDisparity disparity, double threshold) {
    List<Row> out = new ArrayList<>();
    for (String g : disparity.groups()) {
      List<MeanDisparity.Row> rows = disparity.rows();
      double[] gap = new double[rows.size()];
      double[] share = new double[rows.size()];
      int n = 0;
      for (int i = 0; i < rows.size(); i++) {
        gap[i] = rows.get(i).group(g).gap();
        share[i] = rows.get(i).group(g).share();
        if (!Double.isNaN(gap[i]) && !Double.isNaN(share[i])) {
          n++;
        }
      }
      if (n < 3) {
        out.add(new Row(disparity.attribute(), g, n, Double.NaN, Double.NaN, false));
      } else {
        Correlation c = Correlation.pearson(gap, share);
        // A constant column gives r = NaN; round(NaN) would otherwise read as p = 0.
        out.add(new Row(disparity.attribute(), g, n, c.r(), c.p(), !Double.isNaN(c.p()) && c.significant(threshold)));
      }
    }
    return out;
  }
}
