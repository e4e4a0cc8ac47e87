package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** {@code --complementColumns}: the TPR-gap rule of each attribute (CheXclusion: complement for sex, median otherwise). */
public interface GapRuleOption extends PipelineOptions {
  @Description("Attributes whose TPR gap is TPR(group) - TPR(other groups) (CheXclusion's sex rule); all other"
      + " attributes and intersections use TPR(group) - median group TPR, for example: sex")
  @Default.String("sex")
  String getComplementColumns();

  void setComplementColumns(String value);
}
