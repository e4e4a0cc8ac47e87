package org.chexaudit.core.explore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.chexaudit.core.stats.BenjaminiYekutieli;
import org.chexaudit.core.stats.KolmogorovSmirnovTwoSample;

/**
 * The explorer's KS table: a two-sample KS test (SciPy {@code method='auto'}) of every feature for
 * every comparison, row-major (feature by feature, comparisons in order), then one
 * Benjamini-Yekutieli correction over all tests, as {@code multipletests(method='fdr_by')}.
 */
public final class KsTable {
  /** One test of the table. */
  public record Row(String feature, KsComparison comparison, int n1, int n2, double statistic, double pValue,
      boolean exact, double pAdjusted, boolean rejected) {}

  private KsTable() {}

  /**
   * @param features feature name to its value per row, in table order
   * @param attributes attribute name to its value per row (null where unknown)
   * @param comparisons the comparisons, in table order
   * @param alpha false discovery rate of the correction
   */
  public static List<Row> compute(Map<String, double[]> features, Map<String, String[]> attributes,
      List<KsComparison> comparisons, double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("KsTable: alpha must be in (0, 1), got " + alpha);
    }
    List<String> names = new ArrayList<>(features.keySet());
    List<KolmogorovSmirnovTwoSample> tests = new ArrayList<>();
    List<int[]> sizes = new ArrayList<>();
    for (String f : names) {
      double[] values = features.get(f);
      for (KsComparison c : comparisons) {
        String[] groups = attributes.get(c.attribute());
        if (groups == null) {
          throw new IllegalArgumentException("KsTable: comparison '" + c.name() + "' needs attribute '"
              + c.attribute() + "', which the rows lack; they have " + attributes.keySet());
        }
        if (groups.length != values.length) {
          throw new IllegalArgumentException("KsTable: feature '" + f + "' has " + values.length
              + " rows but attribute '" + c.attribute() + "' has " + groups.length);
        }
        double[] a = select(values, groups, c.groupA());
        double[] b = select(values, groups, c.groupB());
        if (a.length == 0 || b.length == 0) {
          throw new IllegalArgumentException("KsTable: comparison '" + c.name() + "' has an empty group: "
              + c.groupA() + " n=" + a.length + ", " + c.groupB() + " n=" + b.length);
        }
        tests.add(KolmogorovSmirnovTwoSample.test(a, b));
        sizes.add(new int[] {a.length, b.length});
      }
    }
    double[] p = tests.stream().mapToDouble(KolmogorovSmirnovTwoSample::pValue).toArray();
    BenjaminiYekutieli by = BenjaminiYekutieli.adjust(p, alpha);
    double[] adjusted = by.adjusted();
    boolean[] rejected = by.rejected();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < tests.size(); i++) {
      KolmogorovSmirnovTwoSample t = tests.get(i);
      rows.add(new Row(names.get(i / comparisons.size()), comparisons.get(i % comparisons.size()),
          sizes.get(i)[0], sizes.get(i)[1], t.statistic(), t.pValue(), t.isExact(), adjusted[i], rejected[i]));
    }
    return rows;
  }

  private static double[] select(double[] values, String[] groups, String group) {
    int n = 0;
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      if (group.equals(groups[i])) {
        out[n++] = values[i];
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }
}
