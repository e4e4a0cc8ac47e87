package org.chexaudit.transforms.coders;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.chexaudit.core.stats.ScoreHistogram;

/**
 * {@link ScoreHistogram} as its three arrays in bulk (big-endian IEEE doubles, then the positive and
 * negative counts as longs). The Direct runner copies every combine accumulator through its coder
 * once per bundle; with Java serialization (SerializableCoder) those copies of million-entry histograms
 * took about a third of the metrics command's CPU (JFR, issue 15).
 */
public final class ScoreHistogramCoder extends CustomCoder<ScoreHistogram> {
  private static final long serialVersionUID = 1L;
  private static final ScoreHistogramCoder INSTANCE = new ScoreHistogramCoder();

  private ScoreHistogramCoder() {}

  public static ScoreHistogramCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(ScoreHistogram h, OutputStream out) throws IOException {
    int n = h.size();
    VarIntCoder.of().encode(n, out);
    ByteBuffer b = ByteBuffer.allocate(24 * n);
    b.asDoubleBuffer().put(h.scores(), 0, n);
    b.position(8 * n);
    b.asLongBuffer().put(h.positives(), 0, n);
    b.position(16 * n);
    b.asLongBuffer().put(h.negatives(), 0, n);
    out.write(b.array());
  }

  @Override
  public ScoreHistogram decode(InputStream in) throws IOException {
    int n = VarIntCoder.of().decode(in);
    byte[] bytes = new byte[24 * n];
    new DataInputStream(in).readFully(bytes);
    ByteBuffer b = ByteBuffer.wrap(bytes);
    double[] scores = new double[n];
    long[] positives = new long[n];
    long[] negatives = new long[n];
    b.asDoubleBuffer().get(scores);
    b.position(8 * n);
    b.asLongBuffer().get(positives);
    b.position(16 * n);
    b.asLongBuffer().get(negatives);
    return new ScoreHistogram(scores, positives, negatives);
  }

  @Override
  public void verifyDeterministic() {}
}
