package org.chexaudit.transforms.coders;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.chexaudit.core.stats.ScoredRow;

/** A compact deterministic coder of {@link ScoredRow}: scores as DoubleCoder's bytes, one byte per target. */
public final class ScoredRowCoder extends CustomCoder<ScoredRow> {
  private static final long serialVersionUID = 1L;
  private static final ScoredRowCoder INSTANCE = new ScoredRowCoder();
  private static final NullableCoder<String> NULLABLE = NullableCoder.of(StringUtf8Coder.of());

  private ScoredRowCoder() {}

  public static ScoredRowCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(ScoredRow r, OutputStream out) throws IOException {
    StringUtf8Coder.of().encode(r.id(), out);
    NULLABLE.encode(r.patient(), out);
    int n = r.labelCount();
    VarIntCoder.of().encode(n, out);
    // the same bytes as DoubleCoder (big-endian IEEE) + one target byte per label, in one write
    byte[] buf = new byte[9 * n];
    for (int i = 0; i < n; i++) {
      long bits = Double.doubleToLongBits(r.score(i));
      for (int b = 0; b < 8; b++) {
        buf[9 * i + b] = (byte) (bits >>> (56 - 8 * b));
      }
      buf[9 * i + 8] = (byte) r.target(i);
    }
    out.write(buf);
    VarIntCoder.of().encode(r.attributeCount(), out);
    for (int i = 0; i < r.attributeCount(); i++) {
      NULLABLE.encode(r.attribute(i), out);
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
    return ScoredRow.ofTrusted(id, patient, s, t, a);
  }

  @Override
  public void verifyDeterministic() {}
}
