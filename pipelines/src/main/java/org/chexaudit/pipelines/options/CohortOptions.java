package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Options of the {@code cohort} command. */
public interface CohortOptions extends StageOptions, SeedOption, CohortConfigOption, DemoXlsxOption, SplitCsvOption {
  @Description("Images CSV in CheXpert's train.csv layout, for example: /data/CheXpert-v1.0/train.csv")
  @Validation.Required
  String getTrainCsv();

  void setTrainCsv(String value);

  @Description("Split fractions train,validate,test (used only without --splitCsv), for example: 0.6,0.1,0.3")
  @Default.String("0.6,0.1,0.3")
  String getSplitFractions();

  void setSplitFractions(String value);

  @Description("Attributes whose proportions every split keeps (without --splitCsv), for example: race,sex")
  @Default.String("")
  String getStratifyBy();

  void setStratifyBy(String value);

  @Description(
      "Subset files to write, as attribute=value, for the train and validate splits, for example:"
          + " race=White,sex=Male (writes chexpert.sample.train.white.csv, ...val.male.csv)")
  @Default.String("race=White,sex=Male")
  String getSubsets();

  void setSubsets(String value);

  @Description("Prefix of the notebook-compatible CSV files.")
  @Default.String("chexpert.sample")
  String getCsvPrefix();

  void setCsvPrefix(String value);

}
