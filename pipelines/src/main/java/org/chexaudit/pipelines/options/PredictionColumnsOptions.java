package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** The columns of a predictions file that metrics and chexclusion-eval audit, and where the groups come from. */
public interface PredictionColumnsOptions extends PipelineOptions {
  @Description("Score columns, one per label, comma-separated, for example: class_0,class_10")
  @Validation.Required
  String getScoreColumns();

  void setScoreColumns(String value);

  @Description("0/1 target columns, in the order of --scoreColumns, for example: target_0,target_10")
  @Validation.Required
  String getTargetColumns();

  void setTargetColumns(String value);

  @Description("Subgroup columns, comma-separated; metrics also takes intersections (sex*race). Default:"
      + " metrics sex,race; chexclusion-eval sex,age. For example: sex,race,sex*race")
  String getGroupColumns();

  void setGroupColumns(String value);

  @Description("Optional second CSV with the group columns, joined to the (test) predictions by --idColumn")
  String getGroupsFile();

  void setGroupsFile(String value);

  @Description("Row id column (in both files when --groupsFile is given)")
  @Default.String("id")
  String getIdColumn();

  void setIdColumn(String value);
}
