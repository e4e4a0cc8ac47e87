package org.chexaudit.core.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Many {@link ScoredRow}s as columns: per label the scores and targets, the ids and patients as one block of
 * characters each, and each row's attribute values as a code into the batch's table of distinct value
 * combinations. A reader hands rows to the metrics in these instead of one object per row: a million rows in
 * flight are a few dozen arrays for the collector, not seven million objects. {@link #row} gives a row back.
 */
public final class ScoredRowBatch {
  private final int size;
  private final double[][] scores;
  private final boolean[][] positive;
  private final Strings ids;
  private final Strings patients;
  private final int[] combination;
  private final List<String[]> combinations;
  private final int attributes;

  private ScoredRowBatch(int size, double[][] scores, boolean[][] positive, Strings ids, Strings patients,
      int[] combination, List<String[]> combinations, int attributes) {
    this.size = size;
    this.scores = scores;
    this.positive = positive;
    this.ids = ids;
    this.patients = patients;
    this.combination = combination;
    this.combinations = combinations;
    this.attributes = attributes;
  }

  /** A builder of rows with {@code labels} scores and {@code attributes} attribute values each. */
  public static Builder builder(int labels, int attributes) {
    return new Builder(labels, attributes);
  }

  public int size() {
    return size;
  }

  public int labelCount() {
    return scores.length;
  }

  public int attributeCount() {
    return attributes;
  }

  public double score(int label, int row) {
    return scores[label][row];
  }

  /** 0 or 1. */
  public int target(int label, int row) {
    return positive[label][row] ? 1 : 0;
  }

  /** A copy of one label's scores, by row. */
  public double[] scores(int label) {
    return Arrays.copyOf(scores[label], size);
  }

  /** A copy of one label's targets, by row: true for 1. */
  public boolean[] positives(int label) {
    return Arrays.copyOf(positive[label], size);
  }

  public String id(int row) {
    return ids.get(row);
  }

  /** The row's patient, or null. */
  public String patient(int row) {
    return patients.get(row);
  }

  /** The row's combination of attribute values: an index below {@link #combinationCount}. */
  public int combination(int row) {
    return combination[row];
  }

  /** How many distinct combinations of attribute values the rows have. */
  public int combinationCount() {
    return combinations.size();
  }

  /** Attribute {@code attribute}'s value (null when missing) in combination {@code c}. */
  public String combinationValue(int c, int attribute) {
    return combinations.get(c)[attribute];
  }

  /** Attribute {@code attribute}'s value in row {@code row}, or null when missing. */
  public String attribute(int attribute, int row) {
    return combinations.get(combination[row])[attribute];
  }

  /** Row {@code i} as a {@link ScoredRow}; rows of one combination share its values' array. */
  public ScoredRow row(int i) {
    int labels = scores.length;
    double[] s = new double[labels];
    int[] t = new int[labels];
    for (int l = 0; l < labels; l++) {
      s[l] = scores[l][i];
      t[l] = positive[l][i] ? 1 : 0;
    }
    return ScoredRow.ofTrusted(ids.get(i), patients.get(i), s, t, combinations.get(combination[i]));
  }

  /**
   * Each combination's group under {@code grouping} as a code into {@code names}, which it fills with the
   * groups in the order first met; -1 where a combination has no group (an attribute missing).
   */
  public int[] groupCodes(Grouping grouping, List<String> names) {
    int[] out = new int[combinations.size()];
    Map<String, Integer> codes = new HashMap<>();
    for (int c = 0; c < out.length; c++) {
      String[] values = combinations.get(c);
      String group = grouping.groupOf(a -> values[a]);
      if (group == null) {
        out[c] = -1;
        continue;
      }
      out[c] = codes.computeIfAbsent(group, g -> {
        names.add(g);
        return names.size() - 1;
      });
    }
    return out;
  }

  /** Writes the batch; {@link #readFrom} reads it back. Numbers big-endian, written in bulk. */
  public void writeTo(DataOutput out) throws IOException {
    int labels = scores.length;
    out.writeInt(size);
    out.writeInt(labels);
    out.writeInt(attributes);
    ByteBuffer buf = ByteBuffer.allocate(9 * size); // per label: the scores, then a target byte per row
    for (int l = 0; l < labels; l++) {
      buf.asDoubleBuffer().put(scores[l], 0, size);
      for (int i = 0; i < size; i++) {
        buf.put(8 * size + i, (byte) (positive[l][i] ? 1 : 0));
      }
      out.write(buf.array());
    }
    ids.writeTo(out);
    patients.writeTo(out);
    out.writeInt(combinations.size());
    for (String[] values : combinations) {
      for (String v : values) {
        writeNullable(out, v);
      }
    }
    writeInts(out, combination, size);
  }

  /** Reads a batch written by {@link #writeTo}. */
  public static ScoredRowBatch readFrom(DataInput in) throws IOException {
    int size = in.readInt();
    int labels = in.readInt();
    int attributes = in.readInt();
    double[][] scores = new double[labels][size];
    boolean[][] positive = new boolean[labels][size];
    ByteBuffer buf = ByteBuffer.allocate(9 * size);
    for (int l = 0; l < labels; l++) {
      in.readFully(buf.array());
      buf.asDoubleBuffer().get(scores[l]);
      for (int i = 0; i < size; i++) {
        positive[l][i] = buf.get(8 * size + i) != 0;
      }
    }
    Strings ids = Strings.readFrom(in, size);
    Strings patients = Strings.readFrom(in, size);
    int count = in.readInt();
    List<String[]> combinations = new ArrayList<>(count);
    for (int c = 0; c < count; c++) {
      String[] values = new String[attributes];
      for (int a = 0; a < attributes; a++) {
        values[a] = readNullable(in);
      }
      combinations.add(values);
    }
    int[] combination = readInts(in, size);
    return new ScoredRowBatch(size, scores, positive, ids, patients, combination, combinations, attributes);
  }

  /** The first {@code n} of {@code values} in one write, big-endian. */
  private static void writeInts(DataOutput out, int[] values, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4 * n);
    b.asIntBuffer().put(values, 0, n);
    out.write(b.array());
  }

  private static int[] readInts(DataInput in, int n) throws IOException {
    byte[] bytes = new byte[4 * n];
    in.readFully(bytes);
    int[] values = new int[n];
    ByteBuffer.wrap(bytes).asIntBuffer().get(values);
    return values;
  }

  private static void writeNullable(DataOutput out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeUTF(s);
    }
  }

  private static String readNullable(DataInput in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }

  /** Collects rows into a batch; {@link #build} hands the columns over, trimmed to the rows added. */
  public static final class Builder {
    private final int attributes;
    private int size;
    private double[][] scores;
    private boolean[][] positive;
    private final Strings ids = new Strings();
    private final Strings patients = new Strings();
    private int[] combination;
    private final List<String[]> combinations = new ArrayList<>();
    private final Map<List<String>, Integer> combinationOf = new HashMap<>();

    private Builder(int labels, int attributes) {
      this.attributes = attributes;
      int capacity = 1024;
      scores = new double[labels][capacity];
      positive = new boolean[labels][capacity];
      combination = new int[capacity];
    }

    public int size() {
      return size;
    }

    /** Adds a row with the builder's numbers of labels and attributes. */
    public Builder add(ScoredRow row) {
      int labels = scores.length;
      if (row.labelCount() != labels || row.attributeCount() != attributes) {
        throw new IllegalArgumentException("row " + row.id() + " has " + row.labelCount() + " scores and "
            + row.attributeCount() + " attributes, expected " + labels + " and " + attributes);
      }
      if (size == combination.length) {
        int capacity = 2 * size;
        for (int l = 0; l < labels; l++) {
          scores[l] = Arrays.copyOf(scores[l], capacity);
          positive[l] = Arrays.copyOf(positive[l], capacity);
        }
        combination = Arrays.copyOf(combination, capacity);
      }
      for (int l = 0; l < labels; l++) {
        scores[l][size] = row.score(l);
        positive[l][size] = row.target(l) == 1;
      }
      ids.add(row.id());
      patients.add(row.patient());
      combination[size] = combinationOf(row);
      size++;
      return this;
    }

    private int combinationOf(ScoredRow row) {
      String[] values = new String[attributes];
      for (int a = 0; a < attributes; a++) {
        values[a] = row.attribute(a);
      }
      List<String> key = Arrays.asList(values);
      Integer c = combinationOf.get(key);
      if (c == null) {
        c = combinations.size();
        combinations.add(values);
        combinationOf.put(key, c);
      }
      return c;
    }

    /** The batch of the rows added; the builder is not to be used after. */
    public ScoredRowBatch build() {
      double[][] s = new double[scores.length][];
      boolean[][] p = new boolean[scores.length][];
      for (int l = 0; l < scores.length; l++) {
        s[l] = Arrays.copyOf(scores[l], size);
        p[l] = Arrays.copyOf(positive[l], size);
      }
      return new ScoredRowBatch(size, s, p, ids.trimmed(), patients.trimmed(), Arrays.copyOf(combination, size),
          combinations, attributes);
    }
  }

  /** Nullable strings as one block of characters and each one's end (-1 for null, then the last end again). */
  private static final class Strings {
    private char[] chars;
    private int[] ends;
    private int n;
    private int length;

    Strings() {
      this(new char[4096], new int[1024], 0, 0);
    }

    private Strings(char[] chars, int[] ends, int n, int length) {
      this.chars = chars;
      this.ends = ends;
      this.n = n;
      this.length = length;
    }

    void add(String s) {
      if (n == ends.length) {
        ends = Arrays.copyOf(ends, 2 * n);
      }
      if (s == null) {
        ends[n++] = -1 - length;
        return;
      }
      if (length + s.length() > chars.length) {
        chars = Arrays.copyOf(chars, Math.max(2 * chars.length, length + s.length()));
      }
      s.getChars(0, s.length(), chars, length);
      length += s.length();
      ends[n++] = length;
    }

    String get(int i) {
      int end = ends[i];
      if (end < 0) {
        return null;
      }
      int start = i == 0 ? 0 : startOf(ends[i - 1]);
      return new String(chars, start, end - start);
    }

    private static int startOf(int previousEnd) {
      return previousEnd < 0 ? -1 - previousEnd : previousEnd;
    }

    Strings trimmed() {
      return new Strings(Arrays.copyOf(chars, length), Arrays.copyOf(ends, n), n, length);
    }

    void writeTo(DataOutput out) throws IOException {
      out.writeInt(length);
      ByteBuffer buf = ByteBuffer.allocate(2 * length);
      buf.asCharBuffer().put(chars, 0, length);
      out.write(buf.array());
      writeInts(out, ends, n);
    }

    static Strings readFrom(DataInput in, int n) throws IOException {
      int length = in.readInt();
      byte[] bytes = new byte[2 * length];
      in.readFully(bytes);
      char[] chars = new char[length];
      ByteBuffer.wrap(bytes).asCharBuffer().get(chars);
      return new Strings(chars, readInts(in, n), n, length);
    }
  }
}
