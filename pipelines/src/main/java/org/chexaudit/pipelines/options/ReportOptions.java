package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Options of the {@code report} command. */
public interface ReportOptions extends StageOptions {
  @Description("Run folder whose finished stages (folders with _MANIFEST.json) are reported, for example: runs/demo")
  @Validation.Required
  String getRun();

  void setRun(String value);

  @Description("Title of the report.")
  @org.apache.beam.sdk.options.Default.String("chexaudit report")
  String getTitle();

  void setTitle(String value);
}
