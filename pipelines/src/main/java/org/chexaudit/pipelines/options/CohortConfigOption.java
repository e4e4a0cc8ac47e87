package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** {@code --cohortConfig}: the dataset's columns, labels, race mapping and filters. */
public interface CohortConfigOption extends PipelineOptions {
  @Description("Cohort configuration (columns, labels, race mapping, filters) as a properties file; default:"
      + " the shipped CheXpert one, datafiles/chexpert/cohort.properties. explore: its label list names the"
      + " disease model's outputs, and its disease labels are the two logits explored")
  String getCohortConfig();

  void setCohortConfig(String value);
}
