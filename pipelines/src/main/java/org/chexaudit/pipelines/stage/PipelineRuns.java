package org.chexaudit.pipelines.stage;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;

/** Running a command's pipeline to its end, as every command does before it commits its output. */
public final class PipelineRuns {
  private PipelineRuns() {}

  /**
   * Runs {@code p} and waits until it finishes. A failure on a worker comes back as the worker's own
   * {@link RuntimeException} (for bad input, a message naming the file, line and column), not wrapped
   * in Beam's {@link Pipeline.PipelineExecutionException}.
   */
  public static PipelineResult runToEnd(Pipeline p) {
    try {
      PipelineResult result = p.run();
      result.waitUntilFinish();
      return result;
    } catch (Pipeline.PipelineExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }
}
