package org.chexaudit.core.chexclusion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.chexaudit.core.stats.RunAggregate;
import org.chexaudit.core.stats.SeedInterval;
import org.chexaudit.core.stats.TprGaps;

/**
 * CheXclusion's aggregation of one attribute's gaps over training runs (spec B7, {@code Confidence.py}):
 * per label and group, the mean share and the mean gap over the runs where it is defined, and the
 * interval half-width ({@link SeedInterval}; by default the original's 1.96·sd/√runs); per label
 * the Distance: for a complement-rule attribute (sex) |Gap_F − Gap_M|, NaN if either is NaN; for
 * the others max − min of the mean gaps, NaN ignored. Rows are sorted by ascending Distance,
 * undefined Distance last.
 */
public final class MeanDisparity {
  /** One group's mean over runs. */
  public record GroupMean(String group, double share, double gap, double ci) {}

  /** One label's row of a {@code Want<attr>.csv}. */
  public record Row(String label, double distance, List<GroupMean> groups) {
    /** The mean of {@code group}, or null when the group was never seen. */
    public GroupMean group(String name) {
      return groups.stream().filter(g -> g.group().equals(name)).findFirst().orElse(null);
    }
  }

  private final String attribute;
  private final List<String> groups;
  private final List<Row> rows;

  private MeanDisparity(String attribute, List<String> groups, List<Row> rows) {
    this.attribute = attribute;
    this.groups = groups;
    this.rows = rows;
  }

  /** Aggregates {@code attribute} over {@code runs} with the original's interval. */
  public static MeanDisparity of(DisparityAttribute attribute, List<RunEvaluation> runs) {
    return of(attribute, runs, SeedInterval.NORMAL);
  }

  /** Aggregates {@code attribute} over {@code runs}; groups in the attribute's report order. */
  public static MeanDisparity of(DisparityAttribute attribute, List<RunEvaluation> runs, SeedInterval interval) {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("MeanDisparity: no runs");
    }
    List<String> labels = runs.get(0).labels();
    List<Map<String, List<GroupGap>>> gaps = new ArrayList<>();
    for (RunEvaluation r : runs) {
      if (!r.labels().equals(labels)) {
        throw new IllegalArgumentException("MeanDisparity: runs have different labels: " + labels + " vs " + r.labels());
      }
      gaps.add(r.gaps(attribute.name()));
    }
    return of(attribute, labels, gaps, interval);
  }

  /**
   * Aggregates one attribute's gaps over runs: {@code runs.get(k)} holds run k's gaps of every label in
   * {@code labels} (a label or group a run lacks counts as undefined there). The means are summed in run
   * order, so the same runs in the same order give the same bits wherever this is computed.
   */
  public static MeanDisparity of(DisparityAttribute attribute, List<String> labels, List<Map<String, List<GroupGap>>> runs,
      SeedInterval interval) {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("MeanDisparity: no runs");
    }
    Set<String> seen = new LinkedHashSet<>();
    runs.forEach(run -> run.values().forEach(list -> list.forEach(g -> seen.add(g.group()))));
    List<String> groups = attribute.groupsOf(seen);
    List<Row> rows = new ArrayList<>();
    for (String label : labels) {
      List<GroupMean> means = new ArrayList<>();
      Map<String, Double> meanGaps = new LinkedHashMap<>();
      for (String g : groups) {
        double[] shares = new double[runs.size()];
        double[] gaps = new double[runs.size()];
        for (int k = 0; k < runs.size(); k++) {
          GroupGap x = find(runs.get(k).getOrDefault(label, List.of()), g);
          shares[k] = x == null ? Double.NaN : x.share();
          gaps[k] = x == null ? Double.NaN : x.gap();
        }
        GroupMean m = new GroupMean(g, RunAggregate.mean(shares), RunAggregate.mean(gaps), interval.halfWidth(gaps));
        means.add(m);
        meanGaps.put(g, m.gap());
      }
      double distance = attribute.rule() == TprGaps.Rule.COMPLEMENT
          ? RunAggregate.distanceOfAll(meanGaps) : RunAggregate.distance(meanGaps);
      rows.add(new Row(label, distance, List.copyOf(means)));
    }
    rows.sort(Comparator.comparingDouble((Row r) -> Double.isNaN(r.distance()) ? Double.POSITIVE_INFINITY : r.distance()));
    return new MeanDisparity(attribute.name(), List.copyOf(groups), List.copyOf(rows));
  }

  private static GroupGap find(List<GroupGap> gaps, String group) {
    for (GroupGap g : gaps) {
      if (g.group().equals(group)) {
        return g;
      }
    }
    return null;
  }

  public String attribute() {
    return attribute;
  }

  public List<String> groups() {
    return groups;
  }

  /** Rows by ascending Distance. */
  public List<Row> rows() {
    return rows;
  }

  /** Mean Distance over the labels where it is defined: the summary table's "Average Distance". */
  public double averageDistance() {
    return RunAggregate.mean(rows.stream().mapToDouble(Row::distance).toArray());
  }
}
