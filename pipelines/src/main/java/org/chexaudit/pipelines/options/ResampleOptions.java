package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of the {@code resample} command. */
public interface ResampleOptions extends StageOptions, SeedOption, CohortInputOption, SplitOption {
  @Description("The resampled set has sizeFactor times as many rows as the split (the notebook: 3)")
  @Default.Integer(3)
  int getSizeFactor();

  void setSizeFactor(int value);
}
