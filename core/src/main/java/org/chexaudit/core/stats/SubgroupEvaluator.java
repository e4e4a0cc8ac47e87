package org.chexaudit.core.stats;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates one label on the whole sample and on named subgroups, on the original sample or on a
 * weighted bootstrap replicate, as chexploration's {@code results_disease_detection.py}: the
 * threshold is chosen by the rule on the whole (replicate) sample, then AUC, TPR and FPR are read
 * for the whole sample and every subgroup. With {@link ThresholdScope#PER_GROUP} each subgroup's
 * threshold is instead chosen by the rule on that subgroup's own (replicate) sample, as
 * {@code results_split_sex.py}.
 *
 * <p>Scores are sorted once; a replicate only re-weights rows, so it costs O(n) per group.
 * Result vectors are laid out as {@code [threshold, auc, tpr, fpr, gap (whole), auc, tpr, fpr, gap
 * (group 0), ...]}; see {@link #index}. "gap" is CheXclusion's TPR gap within the group's attribute
 * under that attribute's {@link GapRules rule} (NaN for the whole sample and for groups given
 * without an attribute).
 */
public final class SubgroupEvaluator implements Serializable {
  private static final long serialVersionUID = 2L;
  public static final String[] METRICS = {"auc", "tpr", "fpr", "gap"};

  /** A subgroup: its attribute (grouping; null for none), its name, and the row indices it holds. */
  public record Group(String attribute, String name, int[] rows) implements Serializable {}

  private final int[] y;
  private final double[] s;
  private final ThresholdRule rule;
  private final ThresholdScope scope;
  private final GapRules gapRules;
  private final List<String> groups;
  private final int[] order;
  private final int[][] groupOrders;
  private final String[] attributeOfGroup;

  private SubgroupEvaluator(int[] y, double[] s, ThresholdRule rule, ThresholdScope scope, GapRules gapRules,
      List<String> groups, int[] order, int[][] groupOrders, String[] attributeOfGroup) {
    this.y = y;
    this.s = s;
    this.rule = rule;
    this.scope = scope;
    this.gapRules = gapRules;
    this.groups = groups;
    this.order = order;
    this.groupOrders = groupOrders;
    this.attributeOfGroup = attributeOfGroup;
  }

  /** {@code groupRows} maps each subgroup name to the row indices it contains. */
  public static SubgroupEvaluator of(int[] y, double[] s, Map<String, int[]> groupRows, ThresholdRule rule) {
    return of(y, s, groupRows, Map.of(), rule);
  }

  /** As {@link #of(int[], double[], Map, ThresholdRule)}; {@code attributeOf} names each group's attribute for TPR gaps. */
  public static SubgroupEvaluator of(int[] y, double[] s, Map<String, int[]> groupRows,
      Map<String, String> attributeOf, ThresholdRule rule) {
    List<Group> groups = new ArrayList<>();
    groupRows.forEach((name, rows) -> groups.add(new Group(attributeOf.get(name), name, rows)));
    return of(y, s, groups, rule);
  }

  /** Global threshold scope and CheXclusion's gap rules (complement for sex, median otherwise). */
  public static SubgroupEvaluator of(int[] y, double[] s, List<Group> groups, ThresholdRule rule) {
    BinaryCurve.checkLengths(y, s);
    if (rule == null) {
      throw new IllegalArgumentException("SubgroupEvaluator: rule can not be null");
    }
    int[] order = BinaryCurve.descendingOrder(s);
    int[][] groupOrders = new int[groups.size()][];
    for (int g = 0; g < groups.size(); g++) {
      // order the group's rows as in the global descending order
      boolean[] member = new boolean[s.length];
      for (int r : groups.get(g).rows()) {
        member[r] = true;
      }
      int[] go = new int[groups.get(g).rows().length];
      int k = 0;
      for (int i : order) {
        if (member[i]) {
          go[k++] = i;
        }
      }
      groupOrders[g] = go;
    }
    List<String> names = groups.stream().map(Group::name).toList();
    String[] attributes = groups.stream().map(Group::attribute).toArray(String[]::new);
    return new SubgroupEvaluator(y.clone(), s.clone(), rule, ThresholdScope.GLOBAL, GapRules.CHEXCLUSION, names,
        order, groupOrders, attributes);
  }

  /** Where the rule is applied: once on the whole sample, or on each group's own sample. */
  public SubgroupEvaluator withScope(ThresholdScope scope) {
    if (scope == null) {
      throw new IllegalArgumentException("SubgroupEvaluator: scope can not be null");
    }
    return new SubgroupEvaluator(y, s, rule, scope, gapRules, groups, order, groupOrders, attributeOfGroup);
  }

  /** The TPR-gap rule of each attribute. */
  public SubgroupEvaluator withGapRules(GapRules gapRules) {
    if (gapRules == null) {
      throw new IllegalArgumentException("SubgroupEvaluator: gapRules can not be null");
    }
    return new SubgroupEvaluator(y, s, rule, scope, gapRules, groups, order, groupOrders, attributeOfGroup);
  }

  public List<String> groups() {
    return groups;
  }

  /** Length of a result vector. */
  public int width() {
    return 1 + METRICS.length * (1 + groups.size());
  }

  /** Position of {@code metric} (0 auc, 1 tpr, 2 fpr, 3 gap) of group {@code g} (-1 = whole sample). */
  public static int index(int g, int metric) {
    return 1 + METRICS.length * (g + 1) + metric;
  }

  /** Threshold and metrics of the sample weighted by {@code weights} (null = original sample). */
  public double[] evaluate(int[] weights) {
    double[] out = new double[width()];
    BinaryCurve whole = BinaryCurve.ofSorted(y, s, order, weights);
    double threshold = rule.choose(whole);
    out[0] = threshold;
    put(out, -1, whole, threshold);
    out[index(-1, 3)] = Double.NaN;
    ConfusionCounts[] counts = new ConfusionCounts[groupOrders.length];
    for (int g = 0; g < groupOrders.length; g++) {
      BinaryCurve curve = BinaryCurve.ofSorted(y, s, groupOrders[g], weights);
      counts[g] = put(out, g, curve, thresholdOf(curve, threshold));
    }
    putGaps(out, counts);
    return out;
  }

  /** Full statistics of the original sample, by group name ("all" first). */
  public Map<String, SubgroupStats> pointStats() {
    Map<String, SubgroupStats> out = new LinkedHashMap<>();
    BinaryCurve whole = BinaryCurve.ofSorted(y, s, order, null);
    double threshold = rule.choose(whole);
    out.put("all", SubgroupStats.compute(whole, threshold));
    for (int g = 0; g < groupOrders.length; g++) {
      BinaryCurve curve = BinaryCurve.ofSorted(y, s, groupOrders[g], null);
      out.put(groups.get(g), SubgroupStats.compute(curve, thresholdOf(curve, threshold)));
    }
    return out;
  }

  private double thresholdOf(BinaryCurve group, double global) {
    return scope == ThresholdScope.PER_GROUP ? rule.choose(group) : global;
  }

  private static ConfusionCounts put(double[] out, int g, BinaryCurve curve, double threshold) {
    ConfusionCounts c = ConfusionCounts.at(curve, threshold);
    out[index(g, 0)] = RocCurve.auc(curve);
    out[index(g, 1)] = c.tpr();
    out[index(g, 2)] = c.fpr();
    return c;
  }

  private void putGaps(double[] out, ConfusionCounts[] counts) {
    Map<String, List<Integer>> byAttribute = new LinkedHashMap<>();
    for (int g = 0; g < counts.length; g++) {
      out[index(g, 3)] = Double.NaN;
      if (attributeOfGroup[g] != null) {
        byAttribute.computeIfAbsent(attributeOfGroup[g], a -> new ArrayList<>()).add(g);
      }
    }
    for (Map.Entry<String, List<Integer>> e : byAttribute.entrySet()) {
      List<Integer> members = e.getValue();
      List<TprGaps.GroupCounts> gc = new ArrayList<>();
      for (int g : members) {
        gc.add(new TprGaps.GroupCounts(groups.get(g), Math.round(counts[g].positives()), Math.round(counts[g].tp())));
      }
      List<TprGaps.Gap> gaps = TprGaps.of(gc, gapRules.ruleFor(e.getKey()));
      for (int k = 0; k < members.size(); k++) {
        out[index(members.get(k), 3)] = gaps.get(k).gap;
      }
    }
  }
}
