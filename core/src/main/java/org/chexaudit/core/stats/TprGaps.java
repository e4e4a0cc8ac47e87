package org.chexaudit.core.stats;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * CheXclusion's TPR disparity (spec B6) for one label and one attribute. Rows whose attribute is
 * missing are left out by the caller (they are excluded from the complement and the denominator).
 * The rule is fixed per attribute ({@link GapRules}), never inferred from how many groups happen to
 * be present, so an {@code Unknown} sex or a dropped group does not switch sex to the median rule.
 *
 * <ul>
 *   <li>{@link Rule#COMPLEMENT} (sex): gap(c) = TPR(c) - TPR(rest), valid iff both have positives
 *       (the original's {@code len(n_gt) != 0}), NaN otherwise;
 *   <li>{@link Rule#MEDIAN} (age, race, insurance): gap(c) = TPR(c) - median of the TPRs of groups
 *       with positives (even count: the mean of the two middle values);
 *   <li>share(c) = positives(c) / positives of all groups.
 * </ul>
 * Undefined gaps are NaN and stay in place (the original's {@code plot_14} shifts rows instead).
 */
public final class TprGaps {
  private TprGaps() {}

  /** How a group's gap is measured. */
  public enum Rule {
    /** TPR(group) - TPR(all other groups pooled): CheXclusion's sex rule. */
    COMPLEMENT,
    /** TPR(group) - median TPR of the groups with positives: age, race, insurance. */
    MEDIAN
  }

  /** True positives and positives of one subgroup at the chosen threshold. */
  public static final class GroupCounts implements Serializable {
    private static final long serialVersionUID = 1L;
    final String group;
    final long positives;
    final long truePositives;

    public GroupCounts(String group, long positives, long truePositives) {
      if (truePositives < 0 || truePositives > positives) {
        throw new IllegalArgumentException("group " + group + ": truePositives=" + truePositives
            + " must be in [0, positives=" + positives + "]");
      }
      this.group = group;
      this.positives = positives;
      this.truePositives = truePositives;
    }

    public double tpr() {
      return positives > 0 ? (double) truePositives / positives : Double.NaN;
    }
  }

  /** One subgroup's TPR, gap and share of positives. */
  public static final class Gap implements Serializable {
    private static final long serialVersionUID = 1L;
    public final String group;
    public final double tpr;
    public final double gap;
    public final double shareOfPositives;

    Gap(String group, double tpr, double gap, double shareOfPositives) {
      this.group = group;
      this.tpr = tpr;
      this.gap = gap;
      this.shareOfPositives = shareOfPositives;
    }

    @Override
    public String toString() {
      return group + "{tpr=" + tpr + ", gap=" + gap + ", share=" + shareOfPositives + "}";
    }
  }

  /** Gaps of {@code groups} (one attribute) under {@code rule}. */
  public static List<Gap> of(List<GroupCounts> groups, Rule rule) {
    if (rule == null) {
      throw new IllegalArgumentException("TprGaps: rule can not be null");
    }
    return rule == Rule.COMPLEMENT ? complement(groups) : median(groups);
  }

  /** gap(c) = TPR(c) - TPR(all other groups pooled). */
  public static List<Gap> complement(List<GroupCounts> groups) {
    long allPositives = 0, allTp = 0;
    for (GroupCounts g : groups) {
      allPositives += g.positives;
      allTp += g.truePositives;
    }
    List<Gap> out = new ArrayList<>();
    for (GroupCounts g : groups) {
      long restPositives = allPositives - g.positives;
      long restTp = allTp - g.truePositives;
      boolean valid = g.positives > 0 && restPositives > 0;
      double gap = valid ? g.tpr() - (double) restTp / restPositives : Double.NaN;
      out.add(new Gap(g.group, g.tpr(), gap, share(g, allPositives)));
    }
    return out;
  }

  /** gap(c) = TPR(c) - median TPR of the groups with positives. */
  public static List<Gap> median(List<GroupCounts> groups) {
    long allPositives = 0;
    List<Double> defined = new ArrayList<>();
    for (GroupCounts g : groups) {
      allPositives += g.positives;
      if (g.positives > 0) {
        defined.add(g.tpr());
      }
    }
    double med = median(defined.stream().mapToDouble(Double::doubleValue).toArray());
    List<Gap> out = new ArrayList<>();
    for (GroupCounts g : groups) {
      double gap = g.positives > 0 ? g.tpr() - med : Double.NaN;
      out.add(new Gap(g.group, g.tpr(), gap, share(g, allPositives)));
    }
    return out;
  }

  private static double share(GroupCounts g, long allPositives) {
    return allPositives > 0 ? (double) g.positives / allPositives : Double.NaN;
  }

  /** The usual median: middle value, or the mean of the two middle values; NaN when empty. */
  public static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] v = values.clone();
    Arrays.sort(v);
    int m = v.length / 2;
    return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2.0;
  }
}
