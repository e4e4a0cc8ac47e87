package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Options of the {@code resample} command. */
public interface ResampleOptions extends StageOptions {
  @Description("Output folder of the cohort stage (holding cohort/*.avro), for example: runs/demo/cohort")
  @Validation.Required
  String getCohort();

  void setCohort(String value);

  @Description("The split to resample, for example: test")
  @Default.String("test")
  String getSplit();

  void setSplit(String value);

  @Description("The resampled set has sizeFactor times as many rows as the split (the notebook: 3)")
  @Default.Integer(3)
  int getSizeFactor();

  void setSizeFactor(int value);

  @Description("Seed of the weighted draws")
  @Default.Long(42)
  long getSeed();

  void setSeed(long value);
}
