package org.chexaudit.core.chexclusion;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The paper's Table 3 ({@code SummaryTable.ipynb}, spec B7) for one attribute: the average Distance
 * over labels, and per group the number of labels whose mean gap is negative and positive.
 *
 * <p>The original removes "No Finding" from the counts with hand-made −1 corrections whose sign
 * follows No Finding's own gap. Here the excluded labels are named and left out of the counts
 * before counting, which gives the same numbers without depending on a sign read by hand (and
 * without subtracting anything when that gap is NaN or exactly 0). The average Distance is over
 * all labels, as the notebook averages the whole {@code Want} file.
 */
public final class DisparitySummary {
  /** Counts of labels by the sign of the mean gap of one group (NaN and 0 count in neither). */
  public record GroupCount(String group, int negative, int positive) {}

  private final String attribute;
  private final double averageDistance;
  private final List<GroupCount> counts;

  private DisparitySummary(String attribute, double averageDistance, List<GroupCount> counts) {
    this.attribute = attribute;
    this.averageDistance = averageDistance;
    this.counts = counts;
  }

  public static DisparitySummary of(MeanDisparity disparity, Set<String> excludedLabels) {
    List<GroupCount> counts = new ArrayList<>();
    for (String g : disparity.groups()) {
      int negative = 0, positive = 0;
      for (MeanDisparity.Row r : disparity.rows()) {
        if (excludedLabels.contains(r.label())) {
          continue;
        }
        double gap = r.group(g).gap();
        if (gap < 0) {
          negative++;
        } else if (gap > 0) {
          positive++;
        }
      }
      counts.add(new GroupCount(g, negative, positive));
    }
    return new DisparitySummary(disparity.attribute(), disparity.averageDistance(), List.copyOf(counts));
  }

  public String attribute() {
    return attribute;
  }

  public double averageDistance() {
    return averageDistance;
  }

  public List<GroupCount> counts() {
    return counts;
  }
}
