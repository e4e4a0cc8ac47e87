package org.chexaudit.examples.nih;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Options of {@link NihSubgroupAudit}. */
public interface NihAuditOptions extends PipelineOptions {
  @Description("ChestX-ray14's Data_Entry_2017.csv (Image Index, Finding Labels, Patient ID, Patient Age, Patient Gender), "
      + "for example: /data/nih/Data_Entry_2017.csv")
  @Validation.Required
  String getDataEntry();
  void setDataEntry(String value);

  @Description("A CSV of your model's probabilities: 'Image Index' then one column per finding, for example: scores.csv")
  @Validation.Required
  String getScores();
  void setScores(String value);

  @Description("Findings to audit, as named in Finding Labels and in the scores header, for example: Effusion,Cardiomegaly")
  @Default.String("Effusion")
  String getFindings();
  void setFindings(String value);

  @Description("Output prefix: writes <prefix>metrics.csv and <prefix>tpr_gaps.csv, for example: out/nih-")
  @Validation.Required
  String getOutput();
  void setOutput(String value);

  @Description("Bootstrap replicates for the percentile intervals (0 for none)")
  @Default.Integer(200)
  int getReplicates();
  void setReplicates(int value);

  @Description("Buckets the join of entries and scores is shuffled in (ShardedCoGroupByKey): a few per worker on the "
      + "Direct runner, which makes a bundle of each, so later steps get few large bundles; more (e.g. 1024) on a cluster")
  @Default.Integer(8)
  int getJoinBuckets();
  void setJoinBuckets(int value);

  @Description("Seed of the bootstrap draws")
  @Default.Long(2021)
  long getSeed();
  void setSeed(long value);
}
