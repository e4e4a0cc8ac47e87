package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Options of the {@code metrics} command. */
public interface MetricsOptions extends StageOptions, SeedOption, PredictionColumnsOptions {
  @Description("Predictions to audit: our predictions Avro or any CSV with a header, for example: preds/predictions.test.csv")
  @Validation.Required
  String getPredictions();

  void setPredictions(String value);



  @Description("Names of the labels in the order of --scoreColumns, used in metrics.csv, disparity.csv and the"
      + " plots; default: the score column names, for example: No Finding,Pleural Effusion")
  String getLabelNames();

  void setLabelNames(String value);


  @Description("Threshold rule: fpr:X (FPR closest to X on the whole set's ROC), maxf1:VALFILE (max F1 on a"
      + " validation predictions file, CheXclusion), youden, or value:X")
  @Default.String("fpr:0.2")
  String getThresholdRule();

  void setThresholdRule(String value);

  @Description("Also report group-specific thresholds, as early chexploration: ATTRIBUTE chooses a threshold"
      + " per true group with --thresholdRule; ATTRIBUTE:COLUMN thresholds each row at the threshold of its"
      + " COLUMN value (for example the race another model predicts). Writes group_thresholds.csv, for example:"
      + " race:predicted_race")
  String getGroupThresholds();

  void setGroupThresholds(String value);

  @Description("Bootstrap replicates for confidence intervals, 0 for none; default 2000, the original's")
  Integer getBootstrap();

  void setBootstrap(Integer value);

  @Description("Bootstrap unit: image (stratified by target) or patient (cluster bootstrap, needs --patientColumn)")
  @Default.Enum("image")
  BootstrapUnit getBootstrapUnit();

  void setBootstrapUnit(BootstrapUnit value);

  @Description("Patient id column, for --bootstrapUnit=patient")
  String getPatientColumn();

  void setPatientColumn(String value);

  @Description("Groups with fewer rows get only their sizes and the note 'insufficient data'")
  @Default.Long(0)
  long getMinGroupSize();

  void setMinGroupSize(long value);

  @Description("Equal-width bins of the calibration curves")
  @Default.Integer(10)
  int getCalibrationBins();

  void setCalibrationBins(int value);
}
