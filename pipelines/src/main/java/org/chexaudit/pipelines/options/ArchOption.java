package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * {@code --arch}: the network train trains and audit forwards to it. The default depends on the command
 * (and on audit's data), so the option has no Beam default: each command applies its own.
 */
public interface ArchOption extends PipelineOptions {
  @Description("Network: densenet121 (the original's), resnet34, or smallcnn (a small CNN for CPU runs and"
      + " tests). Default: train, densenet121; audit, smallcnn on generated data, densenet121 on CheXpert")
  String getArch();

  void setArch(String value);
}
