package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** {@code --splitCsv}: a fixed split file that cohort applies and audit forwards to its cohort stage. */
public interface SplitCsvOption extends PipelineOptions {
  @Description("Optional split file in chexploration's ',index,split' format (index = 0-based row of the images"
      + " CSV); without it cohort makes a seeded patient-level split (audit: forwarded to its cohort stage)."
      + " For example: chexpert_split_2021_08_20.csv")
  String getSplitCsv();

  void setSplitCsv(String value);
}
