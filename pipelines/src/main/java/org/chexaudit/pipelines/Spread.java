package org.chexaudit.pipelines;

import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * How many random keys a stage spreads its records over. The Direct runner makes one bundle per key
 * and pays a fixed cost per bundle in every later step, so there a few keys per worker are best; a
 * distributed runner balances better with many.
 */
final class Spread {
  /** Buckets per Direct-runner worker: enough to balance the load, few enough for large bundles. */
  static final int BUCKETS_PER_DIRECT_WORKER = 4;

  private Spread() {}

  /** {@code elsewhere} on other runners; 4 per worker ({@code --targetParallelism}) on the Direct runner. */
  static int buckets(PipelineOptions o, int elsewhere) {
    if (!DirectRunner.class.equals(o.getRunner())) {
      return elsewhere;
    }
    return BUCKETS_PER_DIRECT_WORKER * o.as(DirectOptions.class).getTargetParallelism();
  }
}
