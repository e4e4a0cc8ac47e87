package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** {@code --split}: the one split a command works on (resample draws from it, explore explores it). */
public interface SplitOption extends PipelineOptions {
  @Description("The split this command works on (resample: the one resampled; explore: the one whose"
      + " embeddings are explored), for example: test")
  @Default.String("test")
  String getSplit();

  void setSplit(String value);
}
