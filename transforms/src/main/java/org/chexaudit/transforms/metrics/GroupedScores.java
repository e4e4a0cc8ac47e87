package org.chexaudit.transforms.metrics;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.CustomCoder;
import org.chexaudit.core.stats.ScoreHistogram;
import org.chexaudit.core.stats.SegmentLayout;
import org.chexaudit.core.stats.SortedScores;

/**
 * One label's scored rows (a worker's buffer of them, or its rows in one score segment, {@link #bySegment})
 * as a joint histogram in ascending score order: each distinct (score, target, combination of groups) with
 * its count. A worker sends one of these per label and segment instead of one partial {@link ScoreHistogram}
 * per subgroup (the whole set and each grouping's group: four with three groupings), so a row travels once
 * per label (about 9 encoded bytes, not 96) and only one copy of the data is alive at a time;
 * {@link #histograms} then reads every subgroup's exact histogram off one sort of all the parts. Rows with
 * equal score, target and groups are counted once, so a record is bounded by the distinct scores of its
 * segment even when most rows tie.
 *
 * <p>An entry holds its groups as one code into the part's table of combinations (each combination: its
 * group in every grouping, as a code into this part's own name tables; each worker numbers the groups it
 * meets), not one code per grouping: 13 bytes an entry in memory with three groupings, not 25, and the
 * parts of every row wait in memory for the segment cuts, where the collector copies them.
 */
final class GroupedScores {
  private final int size;
  private final double[] scores;
  /** Rows per entry; null when every entry is one row. */
  private final int[] counts;
  private final boolean[] positive;
  /** Per entry: its combination, an index into {@code combinationCodes}. */
  private final int[] combination;
  /** Per combination, per grouping: the group's index in {@code names}, -1 for none. */
  private final int[][] combinationCodes;
  private final List<List<String>> names;

  private GroupedScores(int size, double[] scores, int[] counts, boolean[] positive, int[] combination,
      int[][] combinationCodes, List<List<String>> names) {
    this.size = size;
    this.scores = scores;
    this.counts = counts;
    this.positive = positive;
    this.combination = combination;
    this.combinationCodes = combinationCodes;
    this.names = names;
  }

  /**
   * Rows {@code order[from]} to {@code order[to - 1]}, given in ascending score order, of a buffer with
   * scores {@code s}, targets {@code p} and each row's combination {@code rowCombination[row]}, an index
   * into {@code combinationCodes} (per combination, per grouping: a code into {@code names}, -1 for none).
   */
  static GroupedScores of(double[] s, boolean[] p, int[] rowCombination, int[][] combinationCodes, int[] order,
      int from, int to, List<List<String>> names) {
    int cap = to - from;
    double[] scores = new double[cap];
    int[] counts = new int[cap];
    boolean[] positive = new boolean[cap];
    int[] combination = new int[cap];
    boolean units = true;
    int k = 0;
    int i = from;
    while (i < to) {
      int end = i + 1;
      while (end < to && s[order[end]] == s[order[i]]) {
        end++;
      }
      // a tie: one entry per distinct (target, combination)
      Map<Integer, Integer> entryOf = end - i == 1 ? null : new HashMap<>();
      for (int j = i; j < end; j++) {
        int row = order[j];
        if (entryOf != null) {
          Integer at = entryOf.putIfAbsent(2 * rowCombination[row] + (p[row] ? 1 : 0), k);
          if (at != null) {
            counts[at]++;
            units = false;
            continue;
          }
        }
        scores[k] = s[row];
        counts[k] = 1;
        positive[k] = p[row];
        combination[k] = rowCombination[row];
        k++;
      }
      i = end;
    }
    List<List<String>> tables = new ArrayList<>();
    names.forEach(n -> tables.add(List.copyOf(n)));
    return new GroupedScores(k, fit(scores, k), units ? null : fit(counts, k), fit(positive, k), fit(combination, k),
        combinationCodes, tables);
  }

  private static double[] fit(double[] a, int size) {
    return a.length == size ? a : Arrays.copyOf(a, size);
  }

  private static int[] fit(int[] a, int size) {
    return a.length == size ? a : Arrays.copyOf(a, size);
  }

  private static boolean[] fit(boolean[] a, int size) {
    return a.length == size ? a : Arrays.copyOf(a, size);
  }

  int size() {
    return size;
  }

  /**
   * This part cut by score segment, in ascending order: {@code out} gets each segment met and its entries
   * (a copy of the range; the combination and name tables are shared, being immutable).
   */
  void bySegment(SegmentLayout layout, java.util.function.BiConsumer<Integer, GroupedScores> out) {
    int from = 0;
    while (from < size) {
      int segment = layout.segmentOf(scores[from]);
      int to = from + 1;
      while (to < size && layout.segmentOf(scores[to]) == segment) {
        to++;
      }
      out.accept(segment, slice(from, to));
      from = to;
    }
  }

  private GroupedScores slice(int from, int to) {
    if (from == 0 && to == size) {
      return this;
    }
    return new GroupedScores(to - from, Arrays.copyOfRange(scores, from, to),
        counts == null ? null : Arrays.copyOfRange(counts, from, to), Arrays.copyOfRange(positive, from, to),
        Arrays.copyOfRange(combination, from, to), combinationCodes, names);
  }

  /**
   * The exact histogram of the whole set and of every group of every grouping that has rows, over all
   * {@code parts} (of one label and segment): {@code whole} gets the first, {@code group} each group's as
   * (grouping index, group name).
   */
  static void histograms(List<GroupedScores> parts, int groupings, java.util.function.Consumer<ScoreHistogram> whole,
      GroupSink group) {
    int total = 0;
    int allCombinations = 0;
    for (GroupedScores part : parts) {
      total += part.size;
      allCombinations += part.combinationCodes.length;
    }
    double[] s = new double[total];
    int[] c = new int[total];
    boolean[] p = new boolean[total];
    int[] combination = new int[total];
    // every part's combinations in one table, their codes renumbered into one name table per grouping
    int[][] codes = new int[allCombinations][];
    List<List<String>> names = new ArrayList<>();
    List<Map<String, Integer>> codeOf = new ArrayList<>();
    for (int g = 0; g < groupings; g++) {
      names.add(new ArrayList<>());
      codeOf.add(new HashMap<>());
    }
    int at = 0;
    int firstCombination = 0;
    for (GroupedScores part : parts) {
      System.arraycopy(part.scores, 0, s, at, part.size);
      if (part.counts == null) {
        Arrays.fill(c, at, at + part.size, 1);
      } else {
        System.arraycopy(part.counts, 0, c, at, part.size);
      }
      System.arraycopy(part.positive, 0, p, at, part.size);
      for (int i = 0; i < part.size; i++) {
        combination[at + i] = firstCombination + part.combination[i];
      }
      int[][] remap = new int[groupings][];
      for (int g = 0; g < groupings; g++) {
        remap[g] = new int[part.names.get(g).size()];
        for (int k = 0; k < remap[g].length; k++) {
          List<String> all = names.get(g);
          remap[g][k] = codeOf.get(g).computeIfAbsent(part.names.get(g).get(k), x -> {
            all.add(x);
            return all.size() - 1;
          });
        }
      }
      for (int[] local : part.combinationCodes) {
        int[] global = new int[groupings];
        for (int g = 0; g < groupings; g++) {
          global[g] = local[g] < 0 ? -1 : remap[g][local[g]];
        }
        codes[firstCombination++] = global;
      }
      at += part.size;
    }
    SortedScores.Builder all = new SortedScores.Builder();
    SortedScores.Builder[][] byGroup = new SortedScores.Builder[groupings][];
    for (int g = 0; g < groupings; g++) {
      byGroup[g] = new SortedScores.Builder[names.get(g).size()];
    }
    for (int i : SortedScores.order(s, total)) {
      all.add(s[i], p[i], c[i]);
      int[] groupsOf = codes[combination[i]];
      for (int g = 0; g < groupings; g++) {
        int k = groupsOf[g];
        if (k >= 0) {
          if (byGroup[g][k] == null) {
            byGroup[g][k] = new SortedScores.Builder();
          }
          byGroup[g][k].add(s[i], p[i], c[i]);
        }
      }
    }
    whole.accept(all.build());
    for (int g = 0; g < groupings; g++) {
      for (int k = 0; k < byGroup[g].length; k++) {
        if (byGroup[g][k] != null) {
          group.accept(g, names.get(g).get(k), byGroup[g][k].build());
        }
      }
    }
  }

  /** Receives one group's histogram: grouping index, group name, histogram. */
  interface GroupSink {
    void accept(int grouping, String group, ScoreHistogram histogram);
  }

  /**
   * Each grouping's names, the combinations' codes, then the arrays in bulk, each in the narrowest form that
   * holds it exactly: scores as big-endian IEEE floats when every score is a float (a model's float32 output),
   * else doubles; counts left out when all are 1; targets one bit each; combinations as single bytes when the
   * part has at most 256, else ints. About 9 bytes an entry with double scores, 5 with floats.
   * Deterministic.
   */
  static final class Coder extends CustomCoder<GroupedScores> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();
    private static final int FLOAT_SCORES = 1;
    private static final int UNIT_COUNTS = 2;

    static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(GroupedScores v, OutputStream outStream) throws IOException {
      DataOutputStream out = new DataOutputStream(outStream);
      int n = v.size;
      int groupings = v.names.size();
      out.writeInt(groupings);
      for (List<String> table : v.names) {
        out.writeInt(table.size());
        for (String name : table) {
          out.writeUTF(name);
        }
      }
      out.writeInt(v.combinationCodes.length);
      for (int[] codes : v.combinationCodes) {
        for (int g = 0; g < groupings; g++) {
          out.writeInt(codes[g]);
        }
      }
      boolean floats = true;
      for (int i = 0; i < n; i++) {
        floats &= (double) (float) v.scores[i] == v.scores[i];
      }
      boolean units = v.counts == null;
      out.writeInt(n);
      out.writeByte((floats ? FLOAT_SCORES : 0) | (units ? UNIT_COUNTS : 0));
      ByteBuffer b = ByteBuffer.allocate(bulkBytes(n, floats, units, v.combinationCodes.length));
      if (floats) {
        for (int i = 0; i < n; i++) {
          b.putFloat((float) v.scores[i]);
        }
      } else {
        b.asDoubleBuffer().put(v.scores, 0, n);
        b.position(8 * n);
      }
      if (!units) {
        int pos = b.position();
        b.asIntBuffer().put(v.counts, 0, n);
        b.position(pos + 4 * n);
      }
      for (int i = 0; i < n; i += 8) {
        int bits = 0;
        for (int j = i; j < Math.min(n, i + 8); j++) {
          bits |= (v.positive[j] ? 1 : 0) << (j - i);
        }
        b.put((byte) bits);
      }
      if (narrow(v.combinationCodes.length)) {
        for (int i = 0; i < n; i++) {
          b.put((byte) v.combination[i]);
        }
      } else {
        b.asIntBuffer().put(v.combination, 0, n);
      }
      out.write(b.array());
      out.flush();
    }

    @Override
    public GroupedScores decode(InputStream inStream) throws IOException {
      DataInputStream in = new DataInputStream(inStream);
      int groupings = in.readInt();
      List<List<String>> names = new ArrayList<>();
      for (int g = 0; g < groupings; g++) {
        int m = in.readInt();
        List<String> table = new ArrayList<>(m);
        for (int k = 0; k < m; k++) {
          table.add(in.readUTF());
        }
        names.add(List.copyOf(table));
      }
      int[][] combinationCodes = new int[in.readInt()][groupings];
      for (int[] codes : combinationCodes) {
        for (int g = 0; g < groupings; g++) {
          codes[g] = in.readInt();
        }
      }
      int n = in.readInt();
      int flags = in.readByte();
      boolean floats = (flags & FLOAT_SCORES) != 0;
      boolean units = (flags & UNIT_COUNTS) != 0;
      byte[] bytes = new byte[bulkBytes(n, floats, units, combinationCodes.length)];
      in.readFully(bytes);
      ByteBuffer b = ByteBuffer.wrap(bytes);
      double[] scores = new double[n];
      int[] counts = units ? null : new int[n];
      boolean[] positive = new boolean[n];
      int[] combination = new int[n];
      if (floats) {
        for (int i = 0; i < n; i++) {
          scores[i] = b.getFloat();
        }
      } else {
        b.asDoubleBuffer().get(scores);
        b.position(8 * n);
      }
      if (!units) {
        int pos = b.position();
        b.asIntBuffer().get(counts);
        b.position(pos + 4 * n);
      }
      for (int i = 0; i < n; i += 8) {
        int bits = b.get();
        for (int j = i; j < Math.min(n, i + 8); j++) {
          positive[j] = (bits >> (j - i) & 1) != 0;
        }
      }
      if (narrow(combinationCodes.length)) {
        for (int i = 0; i < n; i++) {
          combination[i] = b.get() & 0xff;
        }
      } else {
        b.asIntBuffer().get(combination);
      }
      return new GroupedScores(n, scores, counts, positive, combination, combinationCodes, names);
    }

    /** Whether a combination's index fits an unsigned byte. */
    private static boolean narrow(int combinations) {
      return combinations <= 256;
    }

    private static int bulkBytes(int n, boolean floats, boolean units, int combinations) {
      return n * (floats ? 4 : 8) + (units ? 0 : 4 * n) + (n + 7) / 8 + (narrow(combinations) ? 1 : 4) * n;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
