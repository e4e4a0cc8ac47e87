package org.chexaudit.transforms.coders;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.chexaudit.core.stats.ScoredRowBatch;

/** A {@link ScoredRowBatch} in its own format ({@link ScoredRowBatch#writeTo}): columns written in bulk. */
public final class ScoredRowBatchCoder extends CustomCoder<ScoredRowBatch> {
  private static final long serialVersionUID = 1L;
  private static final ScoredRowBatchCoder INSTANCE = new ScoredRowBatchCoder();

  private ScoredRowBatchCoder() {}

  public static ScoredRowBatchCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(ScoredRowBatch batch, OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    batch.writeTo(data);
    data.flush();
  }

  @Override
  public ScoredRowBatch decode(InputStream in) throws IOException {
    return ScoredRowBatch.readFrom(new DataInputStream(in));
  }

  @Override
  public void verifyDeterministic() {}
}
