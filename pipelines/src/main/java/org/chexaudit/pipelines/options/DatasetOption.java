package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** {@code --dataset}: which of CheXclusion's datasets a command works on. */
public interface DatasetOption extends PipelineOptions {
  @Description("CheXclusion dataset: cxp (CheXpert), mimic (MIMIC-CXR), nih (ChestX-ray14) or all (the union"
      + " of the three on the 8 harmonised labels). chexclusion-cohort builds its cohort; train"
      + " --protocol=chexclusion applies its preset: cxp (batch 48, LR 5e-5), mimic (48, 5e-4),"
      + " nih (32, 5e-4, rotation +-10), all (48, 5e-4, patience 5).")
  @Default.Enum("cxp")
  Dataset getDataset();

  void setDataset(Dataset value);
}
