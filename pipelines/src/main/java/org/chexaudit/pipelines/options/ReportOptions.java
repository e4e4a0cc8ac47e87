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

  @Description("A second run folder to put beside this one: each metrics stage both runs have, row by row, with"
      + " the difference and whether the intervals overlap, for example: runs/resnet")
  String getCompare();

  void setCompare(String value);

  @Description("Negative-control labels (no real signal expected), shown as controls in the findings, for"
      + " example: Fracture")
  @org.apache.beam.sdk.options.Default.String("Fracture")
  String getNegativeControls();

  void setNegativeControls(String value);
}
