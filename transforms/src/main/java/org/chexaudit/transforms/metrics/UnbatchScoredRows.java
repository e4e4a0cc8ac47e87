package org.chexaudit.transforms.metrics;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.core.stats.ScoredRowBatch;
import org.chexaudit.transforms.coders.ScoredRowCoder;

/** The rows of {@link ScoredRowBatch}es, one {@link ScoredRow} each, in each batch's order: for row-wise consumers. */
public final class UnbatchScoredRows extends PTransform<PCollection<ScoredRowBatch>, PCollection<ScoredRow>> {
  private UnbatchScoredRows() {}

  public static UnbatchScoredRows create() {
    return new UnbatchScoredRows();
  }

  @Override
  public PCollection<ScoredRow> expand(PCollection<ScoredRowBatch> batches) {
    return batches.apply("Unbatch", ParDo.of(new UnbatchFn())).setCoder(ScoredRowCoder.of());
  }

  private static final class UnbatchFn extends DoFn<ScoredRowBatch, ScoredRow> {
    @ProcessElement
    public void process(@Element ScoredRowBatch batch, OutputReceiver<ScoredRow> out) {
      for (int i = 0; i < batch.size(); i++) {
        out.output(batch.row(i));
      }
    }
  }
}
