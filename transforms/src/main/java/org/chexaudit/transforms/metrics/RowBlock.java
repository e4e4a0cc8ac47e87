package org.chexaudit.transforms.metrics;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * One label's rows in one score segment, as columns: score, target, a tie-break (the id's hash),
 * stratum and the group of each grouping (as codes into per-block name tables). Blocks of one
 * (label, segment) are concatenated; {@link #sorted} fixes the row order the bootstrap draws
 * rows in, whatever order the rows arrived in.
 */
final class RowBlock implements Serializable {
  private static final long serialVersionUID = 1L;
  private int n;
  private double[] scores = new double[16];
  private boolean[] positive = new boolean[16];
  private long[] tieBreak = new long[16];
  private int[] stratum = new int[16];
  private final List<String> strata = new ArrayList<>();
  private int[][] groups;
  private final List<List<String>> groupNames = new ArrayList<>();
  private transient Map<String, Integer> stratumCodes;
  private transient List<Map<String, Integer>> groupCodes;

  RowBlock(int groupings) {
    groups = new int[groupings][16];
    for (int g = 0; g < groupings; g++) {
      groupNames.add(new ArrayList<>());
    }
  }

  /** Adds a row; {@code groupOf[g]} is its group in grouping g, or null for none. */
  void add(double score, boolean isPositive, long tie, String stratumName, String[] groupOf) {
    if (n == scores.length) {
      int size = 2 * n;
      scores = Arrays.copyOf(scores, size);
      positive = Arrays.copyOf(positive, size);
      tieBreak = Arrays.copyOf(tieBreak, size);
      stratum = Arrays.copyOf(stratum, size);
      for (int g = 0; g < groups.length; g++) {
        groups[g] = Arrays.copyOf(groups[g], size);
      }
    }
    scores[n] = score;
    positive[n] = isPositive;
    tieBreak[n] = tie;
    stratum[n] = codeOf(stratumName);
    for (int g = 0; g < groups.length; g++) {
      groups[g][n] = groupOf[g] == null ? -1 : groupCode(g, groupOf[g]);
    }
    n++;
  }

  private int codeOf(String name) {
    if (stratumCodes == null) {
      stratumCodes = index(strata);
    }
    return stratumCodes.computeIfAbsent(name, k -> {
      strata.add(k);
      return strata.size() - 1;
    });
  }

  private int groupCode(int g, String name) {
    if (groupCodes == null) {
      groupCodes = new ArrayList<>();
      groupNames.forEach(names -> groupCodes.add(index(names)));
    }
    List<String> names = groupNames.get(g);
    return groupCodes.get(g).computeIfAbsent(name, k -> {
      names.add(k);
      return names.size() - 1;
    });
  }

  private static Map<String, Integer> index(List<String> names) {
    Map<String, Integer> codes = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      codes.put(names.get(i), i);
    }
    return codes;
  }

  /** The rows of {@code parts}, in order. */
  static RowBlock concat(List<RowBlock> parts) {
    RowBlock out = new RowBlock(parts.isEmpty() ? 0 : parts.get(0).groups.length);
    String[] groupOf = new String[out.groups.length];
    for (RowBlock b : parts) {
      for (int i = 0; i < b.n; i++) {
        for (int g = 0; g < groupOf.length; g++) {
          groupOf[g] = b.groupOf(g, i);
        }
        out.add(b.scores[i], b.positive[i], b.tieBreak[i], b.strata.get(b.stratum[i]), groupOf);
      }
    }
    return out;
  }

  /** The rows ordered by (score, tie-break). */
  RowBlock sorted() {
    return permuted(order());
  }

  /** The row indices in (score, tie-break) order: the order a histogram is built in. */
  int[] order() {
    return IntStream.range(0, n).boxed()
        .sorted((a, b) -> {
          int c = Double.compare(scores[a], scores[b]);
          return c != 0 ? c : Long.compare(tieBreak[a], tieBreak[b]);
        })
        .mapToInt(Integer::intValue).toArray();
  }

  /** Rows {@code order[0]}, {@code order[1]}, ... of this block. */
  RowBlock permuted(int[] order) {
    RowBlock out = new RowBlock(groups.length);
    String[] groupOf = new String[groups.length];
    for (int i : order) {
      for (int g = 0; g < groups.length; g++) {
        groupOf[g] = groupOf(g, i);
      }
      out.add(scores[i], positive[i], tieBreak[i], strata.get(stratum[i]), groupOf);
    }
    return out;
  }

  int size() {
    return n;
  }

  double score(int i) {
    return scores[i];
  }

  boolean positive(int i) {
    return positive[i];
  }

  String stratumOf(int i) {
    return strata.get(stratum[i]);
  }

  List<String> strata() {
    return strata;
  }

  int stratumCode(int i) {
    return stratum[i];
  }

  /** The group code of row i in grouping g, -1 for none. */
  int groupCode(int g, int i) {
    return groups[g][i];
  }

  String groupOf(int g, int i) {
    return groups[g][i] < 0 ? null : groupNames.get(g).get(groups[g][i]);
  }

  List<String> groupNames(int g) {
    return groupNames.get(g);
  }
}
