package org.chexaudit.core.stats;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * Age binning by configurable edges. Each bin is named; an age falls into the first bin whose
 * upper edge it is below ({@code upperInclusive=false}) or not above ({@code true}).
 */
public final class AgeBins implements Serializable {
  private static final long serialVersionUID = 1L;
  private final double[] upperEdges;
  private final List<String> labels;
  private final boolean upperInclusive;

  private AgeBins(double[] upperEdges, List<String> labels, boolean upperInclusive) {
    if (labels.size() != upperEdges.length + 1) {
      throw new IllegalArgumentException("AgeBins: need edges.length + 1 labels, got edges="
          + Arrays.toString(upperEdges) + " labels=" + labels);
    }
    for (int i = 1; i < upperEdges.length; i++) {
      if (!(upperEdges[i] > upperEdges[i - 1])) {
        throw new IllegalArgumentException("AgeBins: edges must increase: " + Arrays.toString(upperEdges));
      }
    }
    this.upperEdges = upperEdges.clone();
    this.labels = List.copyOf(labels);
    this.upperInclusive = upperInclusive;
  }

  /** Bins with the given inner edges and names (one more name than edges). */
  public static AgeBins of(double[] edges, List<String> labels, boolean upperInclusive) {
    return new AgeBins(edges, labels, upperInclusive);
  }

  /** CheXclusion CXP/NIH (spec B2): 0–19 "0-20", 20–39 "20-40", ..., 80+ "80-". */
  public static AgeBins chexclusion() {
    return of(new double[] {20, 40, 60, 80}, List.of("0-20", "20-40", "40-60", "60-80", "80-"), false);
  }

  /** chexploration resampling bins (spec A4): ≤20 "0", 21–30 "1", ..., 71–80 "6", >80 "7". */
  public static AgeBins chexploration() {
    return of(new double[] {20, 30, 40, 50, 60, 70, 80}, List.of("0", "1", "2", "3", "4", "5", "6", "7"), true);
  }

  /** Preset by name: {@code chexclusion} or {@code chexploration}. */
  public static AgeBins preset(String name) {
    switch (name) {
      case "chexclusion":
        return chexclusion();
      case "chexploration":
        return chexploration();
      default:
        throw new IllegalArgumentException("unknown age-bin preset '" + name + "'; expected chexclusion or chexploration");
    }
  }

  /** The bin name of {@code age}; NaN ages are an error (the caller decides about missing ages). */
  public String label(double age) {
    if (Double.isNaN(age)) {
      throw new IllegalArgumentException("age is NaN");
    }
    for (int i = 0; i < upperEdges.length; i++) {
      if (upperInclusive ? age <= upperEdges[i] : age < upperEdges[i]) {
        return labels.get(i);
      }
    }
    return labels.get(labels.size() - 1);
  }

  public List<String> labels() {
    return labels;
  }
}
