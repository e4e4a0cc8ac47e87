package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** {@code --cohort}: a finished cohort (or resample) output that preprocess, resample and explore read. */
public interface CohortInputOption extends PipelineOptions {
  @Description("Output folder of the cohort or resample stage (holding cohort/*.avro), for example:"
      + " runs/demo/cohort")
  @Validation.Required
  String getCohort();

  void setCohort(String value);
}
