package org.chexaudit.core.stats;

import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The TPR-gap rule of every attribute (spec B6): {@link TprGaps.Rule#COMPLEMENT} for the attributes
 * named here (CheXclusion: sex), {@link TprGaps.Rule#MEDIAN} for every other attribute and for
 * intersections such as {@code sex*race}. Configuration, so it does not depend on which groups a
 * sample happens to contain.
 */
public final class GapRules implements Serializable {
  private static final long serialVersionUID = 1L;
  /** CheXclusion's rules: complement for {@code sex}, median otherwise. */
  public static final GapRules CHEXCLUSION = complementFor(List.of("sex"));

  private final Set<String> complement;

  private GapRules(Set<String> complement) {
    this.complement = complement;
  }

  /** Complement rule for {@code attributes}, median for all others. */
  public static GapRules complementFor(Collection<String> attributes) {
    if (attributes == null) {
      throw new IllegalArgumentException("GapRules: attributes can not be null");
    }
    Set<String> names = new TreeSet<>();
    for (String a : attributes) {
      if (a == null || a.isBlank() || a.contains("*")) {
        throw new IllegalArgumentException("GapRules: complement attribute must be a single attribute name, got '"
            + a + "'");
      }
      names.add(a.trim());
    }
    return new GapRules(Set.copyOf(names));
  }

  /** The rule of {@code attribute} (a grouping name: an attribute or an intersection). */
  public TprGaps.Rule ruleFor(String attribute) {
    return complement.contains(attribute) ? TprGaps.Rule.COMPLEMENT : TprGaps.Rule.MEDIAN;
  }

  @Override
  public String toString() {
    return "complement" + new TreeSet<>(complement) + ", median otherwise";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GapRules g && g.complement.equals(complement);
  }

  @Override
  public int hashCode() {
    return complement.hashCode();
  }
}
