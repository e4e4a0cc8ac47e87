package org.chexaudit.transforms.coders;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.util.VarInt;

/** Deterministic coder for {@code double[]}: a varint length, then big-endian IEEE doubles. */
public final class DoubleArrayCoder extends CustomCoder<double[]> {
  private static final DoubleArrayCoder INSTANCE = new DoubleArrayCoder();

  private DoubleArrayCoder() {}

  public static DoubleArrayCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(double[] value, OutputStream out) throws IOException {
    VarInt.encode(value.length, out);
    DataOutputStream data = new DataOutputStream(out);
    for (double v : value) {
      data.writeDouble(v);
    }
    data.flush();
  }

  @Override
  public double[] decode(InputStream in) throws IOException {
    int n = VarInt.decodeInt(in);
    DataInputStream data = new DataInputStream(in);
    double[] value = new double[n];
    for (int i = 0; i < n; i++) {
      value[i] = data.readDouble();
    }
    return value;
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return false;
  }
}
