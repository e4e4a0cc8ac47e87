package org.chexaudit.transforms.coders;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.VarIntCoder;

/** A {@code long[]} as its length and its values, big-endian, written in bulk. */
public final class LongArrayCoder extends CustomCoder<long[]> {
  private static final long serialVersionUID = 1L;
  private static final LongArrayCoder INSTANCE = new LongArrayCoder();

  private LongArrayCoder() {}

  public static LongArrayCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(long[] v, OutputStream out) throws IOException {
    VarIntCoder.of().encode(v.length, out);
    ByteBuffer b = ByteBuffer.allocate(8 * v.length);
    b.asLongBuffer().put(v);
    out.write(b.array());
  }

  @Override
  public long[] decode(InputStream in) throws IOException {
    int n = VarIntCoder.of().decode(in);
    byte[] bytes = new byte[8 * n];
    new DataInputStream(in).readFully(bytes);
    long[] v = new long[n];
    ByteBuffer.wrap(bytes).asLongBuffer().get(v);
    return v;
  }

  @Override
  public void verifyDeterministic() {}
}
