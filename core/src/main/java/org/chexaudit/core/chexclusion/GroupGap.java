package org.chexaudit.core.chexclusion;

/**
 * One subgroup's TPR disparity for one label in one run (spec B6): its positives and true positives
 * at the label's threshold, its TPR, its gap (NaN when undefined, kept in place), and its share of
 * the positives of all groups with the attribute present (the original's {@code %<group>}, a fraction).
 */
public record GroupGap(String group, long positives, long truePositives, double tpr, double gap, double share) {}
