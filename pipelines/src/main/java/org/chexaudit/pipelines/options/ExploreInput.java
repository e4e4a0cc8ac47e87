package org.chexaudit.pipelines.options;

/** {@code audit --exploreOn}: which test set the explorer runs on, spelled as on the command line. */
public enum ExploreInput {
  /** The race-, prevalence- and age-balanced resample, preprocessed and scored (seeds-spec A4 step 5, A8). */
  resampled,
  /** The plain test split of the cohort. */
  test
}
