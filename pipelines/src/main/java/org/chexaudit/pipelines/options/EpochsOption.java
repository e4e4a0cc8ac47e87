package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * {@code --epochs}: training epochs of train, which audit forwards to its train stages. The default
 * depends on the task, the protocol and audit's data, so the option has no Beam default.
 */
public interface EpochsOption extends PipelineOptions {
  @Description("Training epochs (at most, with chexclusion's early stop). Default: train, 20 for disease and"
      + " multitask, 50 for sex and race (the original's), 65 with --protocol=chexclusion; audit, of every model,"
      + " 8 on generated data, train's (the original's per task) on CheXpert")
  Integer getEpochs();

  void setEpochs(Integer value);
}
