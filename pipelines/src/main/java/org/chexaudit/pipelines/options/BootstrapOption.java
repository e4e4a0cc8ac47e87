package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * {@code --bootstrap}: the bootstrap replicates of metrics, which audit forwards to its metrics stages.
 * The default depends on the command (and on audit's data), so the option has no Beam default.
 */
public interface BootstrapOption extends PipelineOptions {
  @Description("Bootstrap replicates for the metrics' confidence intervals, 0 for none. Default: metrics, 2000,"
      + " the original's; audit, 200 on generated data, 2000 on CheXpert")
  Integer getBootstrap();

  void setBootstrap(Integer value);
}
