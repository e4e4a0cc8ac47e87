package org.chexaudit.core.chexclusion;

/**
 * One label of one run: the max-F1 threshold chosen on validation (NaN when validation has no
 * positives), and AUC and average precision on test (NaN without both classes / without positives).
 */
public record LabelScore(String label, double threshold, double auc, double auprc) {}
