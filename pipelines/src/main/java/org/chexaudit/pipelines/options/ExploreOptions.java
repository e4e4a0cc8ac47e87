package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of the {@code explore} command. */
public interface ExploreOptions extends StageOptions, SeedOption, ThreadsOption, CohortInputOption, SplitOption, CohortConfigOption,
    PredictionsOption {
  @Description("PCA keeps the fewest modes whose cumulative explained variance exceeds this fraction")
  @Default.Double(0.99)
  double getVarianceFraction();

  void setVarianceFraction(double value);

  @Description("Rows sampled per race (seeded, without replacement) for the KS tests and plots;"
      + " a smaller race is taken whole, with a note")
  @Default.Integer(1000)
  int getSamplePerGroup();

  void setSamplePerGroup(int value);

  @Description("Run t-SNE on the PCA scores")
  @Default.Boolean(true)
  boolean getTsne();

  void setTsne(boolean value);

  @Description("t-SNE is fitted on at most this many rows: the sampled rows plus a seeded subsample of the rest")
  @Default.Integer(20000)
  int getTsneMaxPoints();

  void setTsneMaxPoints(int value);

  @Description("False discovery rate of the Benjamini-Yekutieli correction over all KS tests")
  @Default.Double(0.05)
  double getAlpha();

  void setAlpha(double value);
}
