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
  /**
   * Buckets per Direct-runner worker: enough to balance the load, few enough for large bundles. Every
   * bundle costs each later step a translation of the step; metrics on 1M rows, alternated: 4 per worker
   * 7.2-8.3 s, 2 per worker 6.8-7.1 s (benchmarks/README.md).
   */
  static final int BUCKETS_PER_DIRECT_WORKER = 2;

  private Spread() {}

  /** {@code elsewhere} on other runners; 2 per worker ({@code --targetParallelism}) on the Direct runner. */
  static int buckets(PipelineOptions o, int elsewhere) {
    if (!DirectRunner.class.equals(o.getRunner())) {
      return elsewhere;
    }
    return BUCKETS_PER_DIRECT_WORKER * o.as(DirectOptions.class).getTargetParallelism();
  }
}
