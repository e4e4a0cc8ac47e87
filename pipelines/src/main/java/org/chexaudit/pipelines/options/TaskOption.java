package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** {@code --task}: what a model predicts. */
public interface TaskOption extends PipelineOptions {
  @Description("What the model predicts: disease (one sigmoid per label), sex (2, softmax), race (3, softmax)"
      + " or multitask (all three heads)")
  @Default.String("disease")
  String getTask();

  void setTask(String value);
}
