package org.chexaudit.core.stats;

/**
 * Where a threshold rule is applied. {@link #GLOBAL}: once on the whole set, the threshold then
 * read on every subgroup (chexploration's disease audit, A7.1/A7.2). {@link #PER_GROUP}: on each
 * subgroup's own data, e.g. the Youden point of each race group's own ROC in
 * {@code results_split_sex.py} (A7.3); the whole set keeps its global threshold.
 */
public enum ThresholdScope {
  GLOBAL,
  PER_GROUP
}
