package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Options every stage shares: where it writes, and whether it may replace a finished output. */
public interface StageOptions extends PipelineOptions {
  @Description("Output folder of this stage, for example: runs/demo/cohort")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description("Replace an existing finished output instead of refusing to run.")
  @Default.Boolean(false)
  boolean getOverwrite();

  void setOverwrite(boolean value);
}
