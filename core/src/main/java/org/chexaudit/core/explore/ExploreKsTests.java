package org.chexaudit.core.explore;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The explorer's KS table of a sample (seeds-spec A8): PCA modes 1-4 (those kept) and the normal and
 * positive logits, each tested for the comparisons of {@link ExploreNames#ksComparisons()}, BY-adjusted
 * over all tests by {@link KsTable}.
 */
public final class ExploreKsTests {
  private ExploreKsTests() {}

  public static List<KsTable.Row> compute(List<ExploreRow> sample, int modes, ExploreNames names, double alpha) {
    Map<String, double[]> features = new LinkedHashMap<>();
    for (int m = 0; m < Math.min(4, modes); m++) {
      int mode = m;
      features.put("PCA Mode " + (m + 1), sample.stream().mapToDouble(r -> r.pca(mode)).toArray());
    }
    features.put(names.normalLogitName(), sample.stream().mapToDouble(ExploreRow::logitNormal).toArray());
    features.put(names.positiveLogitName(), sample.stream().mapToDouble(ExploreRow::logitPositive).toArray());
    Map<String, String[]> attributes = new LinkedHashMap<>();
    attributes.put("disease", sample.stream().map(ExploreRow::disease).toArray(String[]::new));
    attributes.put("race", sample.stream().map(ExploreRow::race).toArray(String[]::new));
    attributes.put("sex", sample.stream().map(ExploreRow::sex).toArray(String[]::new));
    return KsTable.compute(features, attributes, names.ksComparisons(), alpha);
  }
}
