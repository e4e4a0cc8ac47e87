package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** {@code --threads}: threads of a command's compute-bound work inside one worker. */
public interface ThreadsOption extends PipelineOptions {
  @Description("Threads of the command's compute-bound work per worker (synth: painting images; train and"
      + " predict: TensorFlow; explore: t-SNE); 0 uses all cores. Results do not depend on it.")
  @Default.Integer(0)
  int getThreads();

  void setThreads(int value);

  /** {@code --threads}, with 0 meaning the cores of this JVM. */
  static int threadsOrCores(ThreadsOption options) {
    return options.getThreads() > 0 ? options.getThreads() : Runtime.getRuntime().availableProcessors();
  }
}
