package org.chexaudit.transforms.coders;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.chexaudit.core.explore.CovarianceAccumulator;

/**
 * Coder for {@link CovarianceAccumulator}: dimension, count, mean, packed upper-triangular
 * co-moment and the rows still buffered. Encoding does not flush, so it never changes the value.
 */
public final class CovarianceAccumulatorCoder extends CustomCoder<CovarianceAccumulator> {
  private static final CovarianceAccumulatorCoder INSTANCE = new CovarianceAccumulatorCoder();

  private CovarianceAccumulatorCoder() {}

  public static CovarianceAccumulatorCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(CovarianceAccumulator acc, OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    int d = acc.dimension();
    data.writeInt(d);
    data.writeLong(acc.flushedCount());
    writeAll(data, acc.flushedMean());
    writeAll(data, acc.flushedPackedComoment());
    double[][] pending = acc.pendingRows();
    data.writeInt(pending.length);
    for (double[] row : pending) {
      writeAll(data, row);
    }
    data.flush();
  }

  @Override
  public CovarianceAccumulator decode(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int d = data.readInt();
    long count = data.readLong();
    double[] mean = readAll(data, d);
    double[] comoment = readAll(data, CovarianceAccumulator.packedSize(d));
    double[][] pending = new double[data.readInt()][];
    for (int r = 0; r < pending.length; r++) {
      pending[r] = readAll(data, d);
    }
    return CovarianceAccumulator.of(d, count, mean, comoment, pending);
  }

  private static void writeAll(DataOutputStream data, double[] values) throws IOException {
    for (double v : values) {
      data.writeDouble(v);
    }
  }

  private static double[] readAll(DataInputStream data, int n) throws IOException {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = data.readDouble();
    }
    return values;
  }

  @Override
  public void verifyDeterministic() {}
}
