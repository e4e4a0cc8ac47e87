package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.chexaudit.core.stats.ThresholdScope;

/** Options of the {@code metrics} command. */
public interface MetricsOptions extends StageOptions, SeedOption, PredictionColumnsOptions, GapRuleOption, PredictionsOption,
    BootstrapOption {
  @Description("Names of the labels in the order of --scoreColumns, used in metrics.csv, disparity.csv and the"
      + " plots; default: the score column names, for example: No Finding,Pleural Effusion")
  String getLabelNames();

  void setLabelNames(String value);


  @Description("Threshold rule: fpr:X (FPR closest to X on the whole set's ROC), maxf1:VALFILE (max F1 on a"
      + " validation predictions file, CheXclusion), youden, or value:X")
  @Default.String("fpr:0.2")
  String getThresholdRule();

  void setThresholdRule(String value);

  @Description("Where --thresholdRule is applied: GLOBAL (once on the whole set, read on every subgroup, as"
      + " chexploration's disease audit) or PER_GROUP (on each subgroup's own rows, as results_split_sex.py's"
      + " Youden point per race group)")
  @Default.Enum("GLOBAL")
  ThresholdScope getThresholdScope();

  void setThresholdScope(ThresholdScope value);

  @Description("Accept a threshold chosen on the audited rows themselves (fpr:X, youden, maxf1 without a"
      + " validation file), as chexploration does on its test set; recorded in _MANIFEST.json and notes.csv."
      + " Without it such a rule is refused")
  @Default.Boolean(false)
  boolean getInSampleThreshold();

  void setInSampleThreshold(boolean value);

  @Description("Also report group-specific thresholds, as early chexploration: ATTRIBUTE chooses a threshold"
      + " per true group with --thresholdRule; ATTRIBUTE:COLUMN thresholds each row at the threshold of its"
      + " COLUMN value (for example the race another model predicts). Writes group_thresholds.csv, for example:"
      + " race:predicted_race")
  String getGroupThresholds();

  void setGroupThresholds(String value);

  @Description("Bootstrap unit: image (stratified by target) or patient (cluster bootstrap, needs --patientColumn)")
  @Default.Enum("image")
  BootstrapUnit getBootstrapUnit();

  void setBootstrapUnit(BootstrapUnit value);

  @Description("Stratify image-level bootstrap replicates on this column (read like a group column) instead of"
      + " each label's own target, as results_split_race.py does with the 3-class race target, for example: race")
  String getBootstrapStrata();

  void setBootstrapStrata(String value);

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
