package org.chexaudit.transforms;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * One scored image for the metrics transforms: an id, an optional patient (for the cluster
 * bootstrap), one score and one 0/1 target per label, and one value per attribute (null when
 * missing). Label and attribute names are configuration of the transform, by position.
 */
public final class ScoredRow implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String id;
  private final String patient;
  private final double[] scores;
  private final int[] targets;
  private final String[] attributes;

  private ScoredRow(String id, String patient, double[] scores, int[] targets, String[] attributes) {
    this.id = Objects.requireNonNull(id, "id");
    this.patient = patient;
    this.scores = scores;
    this.targets = targets;
    this.attributes = attributes;
  }

  /** Validates scores (finite) and targets (0 or 1), naming the row and position on failure. */
  public static ScoredRow of(String id, String patient, double[] scores, int[] targets, String[] attributes) {
    if (scores.length != targets.length) {
      throw new IllegalArgumentException("row " + id + ": " + scores.length + " scores but " + targets.length + " targets");
    }
    for (int i = 0; i < scores.length; i++) {
      if (!Double.isFinite(scores[i])) {
        throw new IllegalArgumentException("row " + id + ": score " + i + " is " + scores[i]);
      }
      if (targets[i] != 0 && targets[i] != 1) {
        throw new IllegalArgumentException("row " + id + ": target " + i + " is " + targets[i] + ", expected 0 or 1");
      }
    }
    return new ScoredRow(id, patient, scores.clone(), targets.clone(), attributes.clone());
  }

  public String id() { return id; }
  /** Patient id, or null. */
  public String patient() { return patient; }
  public double score(int label) { return scores[label]; }
  public int target(int label) { return targets[label]; }
  public int labelCount() { return scores.length; }
  /** Attribute value, or null when missing. */
  public String attribute(int i) { return attributes[i]; }
  public int attributeCount() { return attributes.length; }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ScoredRow)) {
      return false;
    }
    ScoredRow r = (ScoredRow) o;
    return id.equals(r.id) && Objects.equals(patient, r.patient) && Arrays.equals(scores, r.scores)
        && Arrays.equals(targets, r.targets) && Arrays.equals(attributes, r.attributes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, patient, Arrays.hashCode(scores), Arrays.hashCode(targets), Arrays.hashCode(attributes));
  }

  @Override
  public String toString() {
    return "ScoredRow{" + id + ", patient=" + patient + ", scores=" + Arrays.toString(scores) + ", targets="
        + Arrays.toString(targets) + ", attributes=" + Arrays.toString(attributes) + "}";
  }

  /** A compact deterministic coder. */
  public static Coder coder() {
    return Coder.INSTANCE;
  }

  /** Coder of {@link ScoredRow}. */
  public static final class Coder extends CustomCoder<ScoredRow> {
    private static final long serialVersionUID = 1L;
    static final Coder INSTANCE = new Coder();
    private static final NullableCoder<String> NULLABLE = NullableCoder.of(StringUtf8Coder.of());

    @Override
    public void encode(ScoredRow r, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(r.id, out);
      NULLABLE.encode(r.patient, out);
      VarIntCoder.of().encode(r.scores.length, out);
      // the same bytes as DoubleCoder (big-endian IEEE) + one target byte per label, in one write
      byte[] buf = new byte[9 * r.scores.length];
      for (int i = 0; i < r.scores.length; i++) {
        long bits = Double.doubleToLongBits(r.scores[i]);
        for (int b = 0; b < 8; b++) {
          buf[9 * i + b] = (byte) (bits >>> (56 - 8 * b));
        }
        buf[9 * i + 8] = (byte) r.targets[i];
      }
      out.write(buf);
      VarIntCoder.of().encode(r.attributes.length, out);
      for (String a : r.attributes) {
        NULLABLE.encode(a, out);
      }
    }

    @Override
    public ScoredRow decode(InputStream in) throws IOException {
      String id = StringUtf8Coder.of().decode(in);
      String patient = NULLABLE.decode(in);
      int n = VarIntCoder.of().decode(in);
      double[] s = new double[n];
      int[] t = new int[n];
      byte[] buf = new byte[9 * n];
      new DataInputStream(in).readFully(buf);
      for (int i = 0; i < n; i++) {
        long bits = 0;
        for (int b = 0; b < 8; b++) {
          bits = (bits << 8) | (buf[9 * i + b] & 0xffL);
        }
        s[i] = Double.longBitsToDouble(bits);
        t[i] = buf[9 * i + 8] & 0xff;
      }
      String[] a = new String[VarIntCoder.of().decode(in)];
      for (int i = 0; i < a.length; i++) {
        a[i] = NULLABLE.decode(in);
      }
      return new ScoredRow(id, patient, s, t, a);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
