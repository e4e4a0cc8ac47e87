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
 * as a joint histogram in ascending score order: each distinct (score, target, group of every grouping) with
 * its count. A worker sends one of these per label and segment instead of one partial {@link ScoreHistogram}
 * per subgroup (the whole set and each grouping's group: four with three groupings), so a row travels once
 * per label (about 7 encoded bytes with three groupings, not 96) and only one copy of the data is alive at a
 * time; {@link #histograms} then reads every subgroup's exact histogram off
 * one sort of all the parts. Rows with equal score, target and groups are counted once, so a record is
 * bounded by the distinct scores of its segment even when most rows tie. Group codes index this part's own
 * name tables: each worker numbers the groups it meets.
 */
final class GroupedScores {
  private final int size;
  private final double[] scores;
  private final int[] counts;
  private final boolean[] positive;
  /** Per grouping, per entry: the group's index in {@code names}, -1 for none. */
  private final int[][] codes;
  private final List<List<String>> names;

  private GroupedScores(int size, double[] scores, int[] counts, boolean[] positive, int[][] codes,
      List<List<String>> names) {
    this.size = size;
    this.scores = scores;
    this.counts = counts;
    this.positive = positive;
    this.codes = codes;
    this.names = names;
  }

  /**
   * Rows {@code order[from]} to {@code order[to - 1]}, given in ascending score order, of a buffer with
   * scores {@code s}, targets {@code p} and group codes {@code rowCodes[grouping][row]} into {@code names}.
   */
  static GroupedScores of(double[] s, boolean[] p, int[][] rowCodes, int[] order, int from, int to,
      List<List<String>> names) {
    int groupings = rowCodes.length;
    int cap = to - from;
    double[] scores = new double[cap];
    int[] counts = new int[cap];
    boolean[] positive = new boolean[cap];
    int[][] codes = new int[groupings][cap];
    int k = 0;
    int i = from;
    while (i < to) {
      int end = i + 1;
      while (end < to && s[order[end]] == s[order[i]]) {
        end++;
      }
      // a tie: one entry per distinct (target, groups)
      Map<List<Integer>, Integer> entryOf = end - i == 1 ? null : new HashMap<>();
      for (int j = i; j < end; j++) {
        int row = order[j];
        if (entryOf != null) {
          Integer at = entryOf.putIfAbsent(tuple(p, rowCodes, row), k);
          if (at != null) {
            counts[at]++;
            continue;
          }
        }
        scores[k] = s[row];
        counts[k] = 1;
        positive[k] = p[row];
        for (int g = 0; g < groupings; g++) {
          codes[g][k] = rowCodes[g][row];
        }
        k++;
      }
      i = end;
    }
    List<List<String>> tables = new ArrayList<>();
    names.forEach(n -> tables.add(List.copyOf(n)));
    return new GroupedScores(k, scores, counts, positive, trim(codes, k), tables);
  }

  private static List<Integer> tuple(boolean[] p, int[][] rowCodes, int row) {
    List<Integer> tuple = new ArrayList<>(rowCodes.length + 1);
    tuple.add(p[row] ? 1 : 0);
    for (int[] codes : rowCodes) {
      tuple.add(codes[row]);
    }
    return tuple;
  }

  private static int[][] trim(int[][] codes, int size) {
    int[][] out = new int[codes.length][];
    for (int g = 0; g < codes.length; g++) {
      out[g] = codes[g].length == size ? codes[g] : Arrays.copyOf(codes[g], size);
    }
    return out;
  }

  int size() {
    return size;
  }

  /**
   * This part cut by score segment, in ascending order: {@code out} gets each segment met and its entries
   * (a copy of the range; the name tables are shared, being immutable).
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
    int[][] sliced = new int[codes.length][];
    for (int g = 0; g < codes.length; g++) {
      sliced[g] = Arrays.copyOfRange(codes[g], from, to);
    }
    return new GroupedScores(to - from, Arrays.copyOfRange(scores, from, to), Arrays.copyOfRange(counts, from, to),
        Arrays.copyOfRange(positive, from, to), sliced, names);
  }

  /**
   * The exact histogram of the whole set and of every group of every grouping that has rows, over all
   * {@code parts} (of one label and segment): {@code whole} gets the first, {@code group} each group's as
   * (grouping index, group name).
   */
  static void histograms(List<GroupedScores> parts, int groupings, java.util.function.Consumer<ScoreHistogram> whole,
      GroupSink group) {
    int total = 0;
    for (GroupedScores part : parts) {
      total += part.size;
    }
    double[] s = new double[total];
    int[] c = new int[total];
    boolean[] p = new boolean[total];
    int[][] codes = new int[groupings][total];
    List<List<String>> names = new ArrayList<>();
    List<Map<String, Integer>> codeOf = new ArrayList<>();
    for (int g = 0; g < groupings; g++) {
      names.add(new ArrayList<>());
      codeOf.add(new HashMap<>());
    }
    int at = 0;
    for (GroupedScores part : parts) {
      System.arraycopy(part.scores, 0, s, at, part.size);
      System.arraycopy(part.counts, 0, c, at, part.size);
      System.arraycopy(part.positive, 0, p, at, part.size);
      for (int g = 0; g < groupings; g++) {
        int[] remap = new int[part.names.get(g).size()];
        for (int k = 0; k < remap.length; k++) {
          String name = part.names.get(g).get(k);
          List<String> all = names.get(g);
          remap[k] = codeOf.get(g).computeIfAbsent(name, x -> {
            all.add(x);
            return all.size() - 1;
          });
        }
        int[] from = part.codes[g];
        int[] to = codes[g];
        for (int i = 0; i < part.size; i++) {
          to[at + i] = from[i] < 0 ? -1 : remap[from[i]];
        }
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
      for (int g = 0; g < groupings; g++) {
        int k = codes[g][i];
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
   * Each grouping's names, then the arrays in bulk, each in the narrowest form that holds it exactly: scores
   * as big-endian IEEE floats when every score is a float (a model's float32 output), else doubles; counts
   * left out when all are 1; targets one bit each; group codes (+1, so none is 0) as single bytes when the
   * grouping has fewer than 255 groups, else ints. About 7 bytes an entry with three groupings, not 25: the
   * Direct runner encodes and decodes every grouped record once more to copy its state. Deterministic.
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
      out.writeInt(v.codes.length);
      for (List<String> table : v.names) {
        out.writeInt(table.size());
        for (String name : table) {
          out.writeUTF(name);
        }
      }
      boolean floats = true;
      boolean units = true;
      for (int i = 0; i < n; i++) {
        floats &= (double) (float) v.scores[i] == v.scores[i];
        units &= v.counts[i] == 1;
      }
      out.writeInt(n);
      out.writeByte((floats ? FLOAT_SCORES : 0) | (units ? UNIT_COUNTS : 0));
      ByteBuffer b = ByteBuffer.allocate(bulkBytes(n, floats, units, v.names));
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
      for (int g = 0; g < v.codes.length; g++) {
        int[] codes = v.codes[g];
        boolean narrow = codeWidth(v.names.get(g).size()) == 1;
        for (int i = 0; i < n; i++) {
          if (narrow) {
            b.put((byte) (codes[i] + 1));
          } else {
            b.putInt(codes[i] + 1);
          }
        }
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
      int n = in.readInt();
      int flags = in.readByte();
      boolean floats = (flags & FLOAT_SCORES) != 0;
      boolean units = (flags & UNIT_COUNTS) != 0;
      byte[] bytes = new byte[bulkBytes(n, floats, units, names)];
      in.readFully(bytes);
      ByteBuffer b = ByteBuffer.wrap(bytes);
      double[] scores = new double[n];
      int[] counts = new int[n];
      boolean[] positive = new boolean[n];
      int[][] codes = new int[groupings][n];
      if (floats) {
        for (int i = 0; i < n; i++) {
          scores[i] = b.getFloat();
        }
      } else {
        b.asDoubleBuffer().get(scores);
        b.position(8 * n);
      }
      if (units) {
        Arrays.fill(counts, 1);
      } else {
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
      for (int g = 0; g < groupings; g++) {
        boolean narrow = codeWidth(names.get(g).size()) == 1;
        int[] to = codes[g];
        for (int i = 0; i < n; i++) {
          to[i] = (narrow ? b.get() & 0xff : b.getInt()) - 1;
        }
      }
      return new GroupedScores(n, scores, counts, positive, codes, names);
    }

    /** Bytes a group code takes: one while code + 1 fits in an unsigned byte. */
    private static int codeWidth(int groups) {
      return groups < 255 ? 1 : 4;
    }

    private static int bulkBytes(int n, boolean floats, boolean units, List<List<String>> names) {
      int bytes = n * (floats ? 4 : 8) + (units ? 0 : 4 * n) + (n + 7) / 8;
      for (List<String> table : names) {
        bytes += codeWidth(table.size()) * n;
      }
      return bytes;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
