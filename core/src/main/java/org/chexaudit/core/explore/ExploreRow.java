package org.chexaudit.core.explore;

import java.util.Arrays;
import java.util.Comparator;

/**
 * One embedding of the explored split joined with its subject (race, sex, age, disease from the cohort),
 * its disease model's logits of the normal and the positive label ({@link ExploreNames}: No Finding and
 * Pleural Effusion for CheXpert) and its PCA scores.
 */
public record ExploreRow(String id, String race, String sex, Integer age, String disease, double logitNormal,
    double logitPositive, double[] scores) {

  /** A fixed order that does not depend on how the runner delivered the rows. */
  public static final Comparator<ExploreRow> ORDER = Comparator.comparing(ExploreRow::race)
      .thenComparing(ExploreRow::id)
      .thenComparing(ExploreRow::scores, Arrays::compare);

  public static ExploreRow of(String id, Subject subject, double logitNormal, double logitPositive,
      double[] scores) {
    return new ExploreRow(id, subject.race(), subject.sex(), subject.age(), subject.disease(), logitNormal,
        logitPositive, scores);
  }

  public double pca(int mode) {
    return scores[mode];
  }
}
