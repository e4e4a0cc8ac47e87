package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Options of the {@code audit} command. Without {@code --chexpertDir} the audit runs on generated data
 * with demo-sized defaults (small images, small CNN, few epochs) so it finishes in minutes on a laptop;
 * with it, the defaults are the original study's (DenseNet-121, 224×224, the original epochs).
 */
public interface AuditOptions extends StageOptions, SeedOption {
  @Description("Folder holding CheXpert's train.csv (CheXpert-v1.0); its parent is the image root."
      + " Leave unset to audit generated data, for example: /data/CheXpert-v1.0")
  String getChexpertDir();

  void setChexpertDir(String value);

  @Description("Demographics workbook, required with --chexpertDir, for example: \"/data/CHEXPERT DEMO.xlsx\"")
  String getDemoXlsx();

  void setDemoXlsx(String value);

  @Description("Optional chexploration split file (,index,split), for example: chexpert_split_2021_08_20.csv")
  String getSplitCsv();

  void setSplitCsv(String value);

  @Description("Generated data only: number of patients")
  @Default.Integer(600)
  int getPatients();

  void setPatients(int value);

  @Description("Generated data only: further synth options, space-separated, for example:"
      + " \"--raceSignal=0 --raceFindingCoupling=1\"")
  @Default.String("")
  String getSynthOptions();

  void setSynthOptions(String value);

  @Description("Image size after pre-processing. Default: 64 on generated data, 224 on CheXpert")
  Integer getImageSize();

  void setImageSize(Integer value);

  @Description("Network: densenet121, resnet34 or smallcnn. Default: smallcnn on generated data, densenet121 on CheXpert")
  String getArch();

  void setArch(String value);

  @Description("Training epochs of every model. Default: 8 on generated data; the original's per task on CheXpert")
  Integer getEpochs();

  void setEpochs(Integer value);

  @Description("Training batch size. Default: 32 on generated data, 150 (the original's) on CheXpert")
  Integer getBatchSize();

  void setBatchSize(Integer value);

  @Description("Bootstrap replicates of the metrics. Default: 200 on generated data, 2000 on CheXpert")
  Integer getBootstrap();

  void setBootstrap(Integer value);

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
