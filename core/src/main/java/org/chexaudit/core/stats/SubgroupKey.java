package org.chexaudit.core.stats;

import java.io.Serializable;

/**
 * One evaluated cell: a label, a grouping (an attribute, an intersection such as {@code sex*race},
 * or {@value #ALL}) and a group of it ({@value #ALL} for the whole set).
 */
public record SubgroupKey(String label, String grouping, String group) implements Serializable {
  /** Grouping and group name of the whole set. */
  public static final String ALL = "all";

  public SubgroupKey {
    if (label == null || grouping == null || group == null) {
      throw new IllegalArgumentException("SubgroupKey: label, grouping and group must be set, got "
          + label + ", " + grouping + ", " + group);
    }
  }

  /** The whole-set key of {@code label}. */
  public static SubgroupKey whole(String label) {
    return new SubgroupKey(label, ALL, ALL);
  }

  public boolean isWhole() {
    return ALL.equals(grouping);
  }
}
