package org.chexaudit.core.stats;

/** The spec's E2 golden vectors (seeds-spec.md, part E2). */
final class Golden {
  static final int[] Y = {0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0};
  static final double[] S = {0.10, 0.40, 0.35, 0.80, 0.20, 0.90, 0.30, 0.60, 0.70, 0.05, 0.55, 0.15,
      0.45, 0.65, 0.25, 0.50, 0.12, 0.95, 0.33, 0.60};
  static final String[] G = "W W A B W W A W B W W A B W W W B W A W".split(" ");

  /** Labels with score ties inside and across classes. */
  static final int[] YT = {1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1};
  static final double[] ST = {0.5, 0.5, 0.5, 0.2, 0.9, 0.9, 0.9, 0.1, 0.3, 0.3, 0.7, 0.2};

  private Golden() {}

  static int[] rowsOf(String[] groups, String g) {
    return java.util.stream.IntStream.range(0, groups.length).filter(i -> groups[i].equals(g)).toArray();
  }

  static int[] pickY(int[] rows) {
    return java.util.Arrays.stream(rows).map(i -> Y[i]).toArray();
  }

  static double[] pickS(int[] rows) {
    return java.util.Arrays.stream(rows).mapToDouble(i -> S[i]).toArray();
  }
}
