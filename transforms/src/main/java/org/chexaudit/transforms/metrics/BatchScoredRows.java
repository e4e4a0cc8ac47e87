package org.chexaudit.transforms.metrics;

import static org.chexaudit.core.Checks.checkArgument;

import java.util.function.Consumer;
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
    private transient Batcher batcher;

    BatchFn(int labels, int attributes) {
      this.labels = labels;
      this.attributes = attributes;
    }

    @StartBundle
    public void startBundle() {
      batcher = new Batcher(labels, attributes);
    }

    @ProcessElement
    public void process(@Element ScoredRow row, OutputReceiver<ScoredRowBatch> out) {
      batcher.add(row, out::output);
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      batcher.finish(b -> c.output(b, BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE));
      batcher = null;
    }
  }

  /**
   * Gathers rows into batches of at most {@value #BATCH_ROWS}, handing on each full batch and, at {@link #finish},
   * the last one; a row of another width fails ({@link ScoredRowBatch.Builder#add}).
   */
  static final class Batcher {
    private final int labels;
    private final int attributes;
    private ScoredRowBatch.Builder batch;

    Batcher(int labels, int attributes) {
      this.labels = labels;
      this.attributes = attributes;
    }

    void add(ScoredRow row, Consumer<ScoredRowBatch> out) {
      if (batch == null) {
        batch = ScoredRowBatch.builder(labels, attributes);
      }
      batch.add(row);
      if (batch.size() == BATCH_ROWS) {
        out.accept(batch.build());
        batch = null;
      }
    }

    /** Hands on the rows added since the last full batch, if any. */
    void finish(Consumer<ScoredRowBatch> out) {
      if (batch != null) {
        out.accept(batch.build());
        batch = null;
      }
    }
  }
}
