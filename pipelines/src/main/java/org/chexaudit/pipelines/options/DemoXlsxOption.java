package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * {@code --demoXlsx}: CheXpert's demographics workbook, which cohort reads and audit forwards to it.
 * cohort requires it and audit only with {@code --chexpertDir}, so it is not {@code @Validation.Required}
 * here: each command checks it.
 */
public interface DemoXlsxOption extends PipelineOptions {
  @Description("Demographics workbook (first sheet read). cohort: required; audit: required with --chexpertDir."
      + " For example: \"/data/CHEXPERT DEMO.xlsx\"")
  String getDemoXlsx();

  void setDemoXlsx(String value);
}
