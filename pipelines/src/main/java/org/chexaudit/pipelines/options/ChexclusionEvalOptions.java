package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;
import org.chexaudit.core.stats.SeedInterval;

/** Options of the {@code chexclusion-eval} command. */
public interface ChexclusionEvalOptions extends StageOptions, PredictionColumnsOptions, GapRuleOption {
  @Description("Run folders, comma-separated, one per training seed, each holding the validation and test"
      + " predictions, for example: runs/s32/predict,runs/s40/predict")
  @Validation.Required
  String getRuns();

  void setRuns(String value);

  @Description("Names of the runs in the output files (Eval<name>.csv, Run<name>_<attr>.csv), comma-separated;"
      + " default: the run folders' names, for example: 32,40,56,60,90")
  String getRunNames();

  void setRunNames(String value);

  @Description("Validation predictions file inside each run folder (CSV with a header, or Avro)")
  @Default.String("predictions.val.csv")
  String getValidationFile();

  void setValidationFile(String value);

  @Description("Test predictions file inside each run folder")
  @Default.String("predictions.test.csv")
  String getTestFile();

  void setTestFile(String value);


  @Description("Label names in the order of --scoreColumns (default: the score columns), for example:"
      + " No Finding,Cardiomegaly")
  String getLabels();

  void setLabels(String value);

  @Description("Report order of groups (the original's column order), attr=g1|g2|...;attr2=...; groups not listed follow, sorted")
  @Default.String("age=60-80|40-60|20-40|80-|0-20;sex=M|F;insurance=Medicare|Other|Medicaid;"
      + "race=WHITE|BLACK/AFRICAN AMERICAN|HISPANIC/LATINO|OTHER|ASIAN|AMERICAN INDIAN/ALASKA NATIVE")
  String getGroupOrder();

  void setGroupOrder(String value);

  @Description("Attribute values that mean missing, |-separated (blank is always missing); for example:"
      + " 0|UNKNOWN|UNABLE TO OBTAIN")
  @Default.String("0")
  String getMissingValues();

  void setMissingValues(String value);


  @Description("Labels left out of the summary table's sign counts (the original's hand-made -1 corrections)")
  @Default.String("No Finding")
  String getSummaryExclude();

  void setSummaryExclude(String value);

  @Description("Significance threshold of the gap-vs-share Pearson correlations (Bonferroni 0.05/33)")
  @Default.Double(0.05 / 33)
  double getCorrelationThreshold();

  void setCorrelationThreshold(double value);

  @Description("Interval of a mean over runs: NORMAL is the original's 1.96*sd/sqrt(runs) (narrow with five"
      + " seeds: t(4) = 2.776, not 1.96), STUDENT_T is t(0.975, k-1)*sd/sqrt(k) over the k runs where it is defined")
  @Default.Enum("NORMAL")
  SeedInterval getSeedInterval();

  void setSeedInterval(SeedInterval value);
}
