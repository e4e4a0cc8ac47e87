package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * {@code --batchSize}: images per batch of train, predict and audit's training. The commands' defaults
 * differ (and depend on presets and data), so the option has no Beam default: each command applies its own.
 */
public interface BatchSizeOption extends PipelineOptions {
  @Description("Images per batch: train, per optimizer step (default 150, the original's, or the chexclusion"
      + " preset's 48, NIH 32); predict, per TensorFlow run (default 64); audit, its models' training batch"
      + " (default 32 on generated data, 150 on CheXpert)")
  Integer getBatchSize();

  void setBatchSize(Integer value);
}
