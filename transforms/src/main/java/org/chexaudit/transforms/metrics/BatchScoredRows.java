package org.chexaudit.transforms.metrics;

import static org.chexaudit.core.Checks.checkArgument;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.core.stats.ScoredRowBatch;
import org.chexaudit.transforms.coders.ScoredRowBatchCoder;

/**
 * Gathers each bundle's {@link ScoredRow}s into {@link ScoredRowBatch}es of at most {@value #BATCH_ROWS} rows,
 * in the order they come. Rows must all have {@code labels} scores and {@code attributes} attribute values.
 * Global windowing only (batch).
 */
public final class BatchScoredRows extends PTransform<PCollection<ScoredRow>, PCollection<ScoredRowBatch>> {
  /** Rows per batch: a batch is about 0.6 MB per label. */
  public static final int BATCH_ROWS = 1 << 16;
  private final int labels;
  private final int attributes;

  private BatchScoredRows(int labels, int attributes) {
    this.labels = labels;
    this.attributes = attributes;
  }

  public static BatchScoredRows of(int labels, int attributes) {
    checkArgument(labels >= 1, "BatchScoredRows: labels must be >= 1, got %s", labels);
    checkArgument(attributes >= 0, "BatchScoredRows: attributes must be >= 0, got %s", attributes);
    return new BatchScoredRows(labels, attributes);
  }

  @Override
  public PCollection<ScoredRowBatch> expand(PCollection<ScoredRow> rows) {
    return rows.apply("Batch", ParDo.of(new BatchFn(labels, attributes))).setCoder(ScoredRowBatchCoder.of());
  }

  private static final class BatchFn extends DoFn<ScoredRow, ScoredRowBatch> {
    private final int labels;
    private final int attributes;
    private transient ScoredRowBatch.Builder batch;

    BatchFn(int labels, int attributes) {
      this.labels = labels;
      this.attributes = attributes;
    }

    @StartBundle
    public void startBundle() {
      batch = ScoredRowBatch.builder(labels, attributes);
    }

    @ProcessElement
    public void process(@Element ScoredRow row, OutputReceiver<ScoredRowBatch> out) {
      if (row.labelCount() != labels) {
        throw new IllegalArgumentException("row " + row.id() + " has " + row.labelCount() + " scores, expected "
            + labels);
      }
      batch.add(row);
      if (batch.size() == BATCH_ROWS) {
        out.output(batch.build());
        batch = ScoredRowBatch.builder(labels, attributes);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      if (batch.size() > 0) {
        c.output(batch.build(), BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
      }
      batch = null;
    }
  }
}
