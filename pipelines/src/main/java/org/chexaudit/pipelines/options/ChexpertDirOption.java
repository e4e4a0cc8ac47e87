package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** {@code --chexpertDir}: the CheXpert folder that audit and chexclusion-cohort read. */
public interface ChexpertDirOption extends PipelineOptions {
  @Description("CheXpert folder (CheXpert-v1.0). audit: reads its train.csv, its parent is the image root, and"
      + " leaving it unset audits generated data; chexclusion-cohort: reads its train.csv and valid.csv"
      + " (required with --dataset=cxp or all). For example: /data/CheXpert-v1.0")
  String getChexpertDir();

  void setChexpertDir(String value);
}
