package org.chexaudit.core.stats;

import org.chexaudit.core.stats.ScoredRow;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A way of splitting rows into subgroups: one attribute ({@code race}) or an intersection
 * ({@code sex*race}, groups named like {@code Female*Black}). Rows missing any of the attributes
 * belong to no group of this grouping.
 */
public final class Grouping implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String name;
  private final int[] attributeIndices;

  private Grouping(String name, int[] attributeIndices) {
    this.name = name;
    this.attributeIndices = attributeIndices;
  }

  /** Parses {@code spec} (attribute names joined by '*') against the row's attribute names. */
  public static Grouping parse(String spec, List<String> attributes) {
    String[] parts = spec.trim().split("\\*");
    int[] idx = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      idx[i] = attributes.indexOf(parts[i].trim());
      if (parts[i].isBlank() || idx[i] < 0) {
        throw new IllegalArgumentException("grouping '" + spec + "': unknown attribute '" + parts[i].trim()
            + "'; attributes are " + attributes);
      }
    }
    return new Grouping(spec.trim().replace(" ", ""), idx);
  }

  public static List<Grouping> parseAll(List<String> specs, List<String> attributes) {
    List<Grouping> out = new ArrayList<>();
    for (String s : specs) {
      out.add(parse(s, attributes));
    }
    return out;
  }

  public String name() {
    return name;
  }

  /** The row's group, or null when one of the attributes is missing. */
  public String groupOf(ScoredRow row) {
    return groupOf(row::attribute);
  }

  /** The group of a row whose attribute values (by index, null when missing) {@code attribute} gives. */
  public String groupOf(IntFunction<String> attribute) {
    if (attributeIndices.length == 1) {
      return blankToNull(attribute.apply(attributeIndices[0]));
    }
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < attributeIndices.length; k++) {
      String v = blankToNull(attribute.apply(attributeIndices[k]));
      if (v == null) {
        return null;
      }
      if (k > 0) {
        b.append('*');
      }
      b.append(v);
    }
    return b.toString();
  }

  private static String blankToNull(String v) {
    return v == null || v.isEmpty() ? null : v;
  }
}
