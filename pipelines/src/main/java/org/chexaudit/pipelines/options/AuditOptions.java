package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Options of the {@code audit} command. Without {@code --chexpertDir} the audit runs on generated data
 * with demo-sized defaults (small images, small CNN, few epochs) so it finishes in minutes on a laptop;
 * with it, the defaults are the original study's (DenseNet-121, 224×224, the original epochs).
 */
public interface AuditOptions extends StageOptions, SeedOption, ChexpertDirOption, DemoXlsxOption, SplitCsvOption,
    PatientsOption, ImageSizeOption, ArchOption, EpochsOption, BatchSizeOption, BootstrapOption {
  @Description("Generated data only: further synth options, space-separated, for example:"
      + " \"--raceSignal=0 --raceFindingCoupling=1\"")
  @Default.String("")
  String getSynthOptions();

  void setSynthOptions(String value);

  @Description("Also train and evaluate the multitask model")
  @Default.Boolean(false)
  boolean getMultitask();

  void setMultitask(boolean value);

  @Description("Test set the explore stage runs on: resampled (the original explorer's: the resample is"
      + " preprocessed and scored by the disease model) or test (the plain test split)")
  @Default.Enum("resampled")
  ExploreInput getExploreOn();

  void setExploreOn(ExploreInput value);
}
