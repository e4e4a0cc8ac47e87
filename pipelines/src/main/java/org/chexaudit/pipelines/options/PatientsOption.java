package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** {@code --patients}: the size of a generated data set (synth's, and audit's on generated data). */
public interface PatientsOption extends PipelineOptions {
  @Description("Patients of the generated data set, in train.csv (patient00001..). synth: ignored with --full;"
      + " audit: generated data only (without --chexpertDir), given to its synth stage.")
  @Default.Integer(600)
  int getPatients();

  void setPatients(int value);
}
