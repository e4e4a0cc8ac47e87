package org.chexaudit.core.explore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.chexaudit.core.cohort.CohortSpec;

/**
 * The names the explorer reads from the cohort configuration instead of constants: the disease model's
 * labels (output index = position), the normal and positive labels whose logits it plots (CheXpert: No
 * Finding and Pleural Effusion, seeds-spec A8's {@code logit_0} and {@code logit_10}), and the hue orders
 * of disease, sex and race.
 */
public record ExploreNames(List<String> labels, String normalLabel, String positiveLabel, List<String> sexOrder,
    List<String> raceOrder) {
  /** The derived disease of an image that is neither positive nor normal ({@code ImageRowParser}). */
  public static final String OTHER_DISEASE = "Other";

  public ExploreNames {
    labels = List.copyOf(labels);
    sexOrder = List.copyOf(sexOrder);
    raceOrder = List.copyOf(raceOrder);
    checkLabel(labels, normalLabel, "normal");
    checkLabel(labels, positiveLabel, "positive");
  }

  /** Labels, disease labels and sex and race orders of a cohort configuration. */
  public static ExploreNames of(CohortSpec spec) {
    List<String> sexes = spec.sexLabels.entrySet().stream()
        .sorted(Map.Entry.comparingByValue(Comparator.naturalOrder())).map(Map.Entry::getKey).toList();
    return new ExploreNames(spec.labels, spec.diseaseNormalLabel, spec.diseasePositiveLabel, sexes,
        spec.raceMapping.racesByLabel());
  }

  public int normalIndex() {
    return labels.indexOf(normalLabel);
  }

  public int positiveIndex() {
    return labels.indexOf(positiveLabel);
  }

  public String normalLogitName() {
    return "Logit - " + normalLabel;
  }

  public String positiveLogitName() {
    return "Logit - " + positiveLabel;
  }

  /** The explorer's disease hue order: positive, Other, normal. */
  public List<String> diseaseOrder() {
    return List.of(positiveLabel, OTHER_DISEASE, normalLabel);
  }

  /**
   * The explorer's five KS comparisons with these names, in its column order: positive vs normal; each
   * race against the one before it, the first against the last (Asian vs White, Black vs Asian, White vs
   * Black for CheXpert); the second sex against the first (Female vs Male).
   */
  public List<KsComparison> ksComparisons() {
    List<KsComparison> c = new ArrayList<>();
    c.add(KsComparison.of("disease", positiveLabel, normalLabel));
    int n = raceOrder.size();
    for (int i = 1; i < n; i++) {
      c.add(KsComparison.of("race", raceOrder.get(i), raceOrder.get(i - 1)));
    }
    if (n > 2) {
      c.add(KsComparison.of("race", raceOrder.get(0), raceOrder.get(n - 1)));
    }
    if (sexOrder.size() == 2) {
      c.add(KsComparison.of("sex", sexOrder.get(1), sexOrder.get(0)));
    }
    return c;
  }

  private static void checkLabel(List<String> labels, String label, String role) {
    if (!labels.contains(label)) {
      throw new IllegalArgumentException("ExploreNames: " + role + " label '" + label + "' is not one of the labels "
          + labels);
    }
  }
}
