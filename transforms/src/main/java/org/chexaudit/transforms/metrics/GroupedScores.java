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
import org.chexaudit.core.stats.ScoreSegments;
import org.chexaudit.core.stats.SegmentLayout;
import org.chexaudit.core.stats.SortedScores;

/**
 * One label's scored rows in one score segment as a joint histogram: each distinct (score, target, group
 * of every grouping) with its count. A worker sends one of these per label and segment instead of one
 * partial {@link ScoreHistogram} per subgroup (the whole set and each grouping's group: four with three
 * groupings), so a row travels once per label (about 25 bytes with three groupings, not 96) and only one
 * copy of the data is alive at a time; {@link #histograms} then reads every subgroup's exact histogram off
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
   * The (bucket, count) pairs of {@link ScoreSegments#bucketCounts} over the rows this counts (entries are in
   * ascending score order and a score's bucket never falls as the score rises, so one pass suffices).
   */
  long[] bucketCounts() {
    long[] pairs = new long[2 * size];
    int k = 0;
    for (int i = 0; i < size; i++) {
      int bucket = ScoreSegments.bucket(scores[i]);
      if (k > 0 && pairs[k - 2] == bucket) {
        pairs[k - 1] += counts[i];
      } else {
        pairs[k++] = bucket;
        pairs[k++] = counts[i];
      }
    }
    return Arrays.copyOf(pairs, k);
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
   * The arrays in bulk (scores as big-endian IEEE doubles, counts and codes as ints, targets as bytes),
   * then each grouping's names. Deterministic.
   */
  static final class Coder extends CustomCoder<GroupedScores> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();

    static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(GroupedScores v, OutputStream outStream) throws IOException {
      DataOutputStream out = new DataOutputStream(outStream);
      int n = v.size;
      int groupings = v.codes.length;
      out.writeInt(n);
      out.writeInt(groupings);
      ByteBuffer b = ByteBuffer.allocate(n * (13 + 4 * groupings));
      b.asDoubleBuffer().put(v.scores, 0, n);
      b.position(8 * n);
      b.asIntBuffer().put(v.counts, 0, n);
      b.position(12 * n);
      for (int i = 0; i < n; i++) {
        b.put(v.positive[i] ? (byte) 1 : (byte) 0);
      }
      for (int g = 0; g < groupings; g++) {
        int pos = b.position();
        b.asIntBuffer().put(v.codes[g], 0, n);
        b.position(pos + 4 * n);
      }
      out.write(b.array());
      for (List<String> table : v.names) {
        out.writeInt(table.size());
        for (String name : table) {
          out.writeUTF(name);
        }
      }
      out.flush();
    }

    @Override
    public GroupedScores decode(InputStream inStream) throws IOException {
      DataInputStream in = new DataInputStream(inStream);
      int n = in.readInt();
      int groupings = in.readInt();
      byte[] bytes = new byte[n * (13 + 4 * groupings)];
      in.readFully(bytes);
      ByteBuffer b = ByteBuffer.wrap(bytes);
      double[] scores = new double[n];
      int[] counts = new int[n];
      boolean[] positive = new boolean[n];
      int[][] codes = new int[groupings][n];
      b.asDoubleBuffer().get(scores);
      b.position(8 * n);
      b.asIntBuffer().get(counts);
      b.position(12 * n);
      for (int i = 0; i < n; i++) {
        positive[i] = b.get() != 0;
      }
      for (int g = 0; g < groupings; g++) {
        int pos = b.position();
        b.asIntBuffer().get(codes[g]);
        b.position(pos + 4 * n);
      }
      List<List<String>> names = new ArrayList<>();
      for (int g = 0; g < groupings; g++) {
        int m = in.readInt();
        List<String> table = new ArrayList<>(m);
        for (int k = 0; k < m; k++) {
          table.add(in.readUTF());
        }
        names.add(table);
      }
      return new GroupedScores(n, scores, counts, positive, codes, names);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
