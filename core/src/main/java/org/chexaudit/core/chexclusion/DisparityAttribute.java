package org.chexaudit.core.chexclusion;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.chexaudit.core.stats.TprGaps.Rule;

/**
 * One attribute of CheXclusion's TPR-disparity audit (spec B6): its column, its gap rule
 * (complement for sex, median for age, race, insurance), the order its groups are reported in,
 * and the values that mean "missing" (rows with them are left out of that attribute's counts).
 */
public final class DisparityAttribute implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Values treated as missing by default: blank and CheXclusion's 0 code. */
  public static final Set<String> DEFAULT_MISSING = Set.of("", "0");

  private final String name;
  private final Rule rule;
  private final List<String> order;
  private final Set<String> missing;

  private DisparityAttribute(String name, Rule rule, List<String> order, Set<String> missing) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("DisparityAttribute: name is empty");
    }
    this.name = name;
    this.rule = rule;
    this.order = List.copyOf(order);
    this.missing = Set.copyOf(missing);
  }

  /** An attribute with the given rule, groups ordered by value, blank and "0" missing. */
  public static DisparityAttribute of(String name, Rule rule) {
    return new DisparityAttribute(name, rule, List.of(), DEFAULT_MISSING);
  }

  /** Groups listed here come first in this order (the original's column order); others follow sorted. */
  public DisparityAttribute withOrder(List<String> groups) {
    return new DisparityAttribute(name, rule, groups, missing);
  }

  /** Values that mark a row's attribute as missing (compared after trimming). */
  public DisparityAttribute withMissing(Collection<String> values) {
    return new DisparityAttribute(name, rule, order, Set.copyOf(values));
  }

  public String name() {
    return name;
  }

  public Rule rule() {
    return rule;
  }

  public List<String> order() {
    return order;
  }

  /** True when {@code value} (null allowed) counts as missing. */
  public boolean isMissing(String value) {
    return value == null || missing.contains(value.trim());
  }

  /** The groups present in {@code values} in report order: configured order first, then sorted. */
  public List<String> groupsOf(Collection<String> values) {
    Set<String> present = new TreeSet<>();
    for (String v : values) {
      if (!isMissing(v)) {
        present.add(v.trim());
      }
    }
    List<String> out = new ArrayList<>();
    for (String g : order) {
      if (present.remove(g)) {
        out.add(g);
      }
    }
    out.addAll(present);
    return out;
  }

  @Override
  public String toString() {
    return name + ":" + rule.name().toLowerCase() + (order.isEmpty() ? "" : order.toString());
  }
}
