package org.chexaudit.transforms.metrics;

import static org.chexaudit.core.Checks.checkArgument;

import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.chexaudit.core.stats.GapRules;
import org.chexaudit.core.stats.Grouping;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.core.stats.ThresholdRule;
import org.chexaudit.core.stats.ThresholdScope;
import org.chexaudit.schemas.MetricInterval;

/**
 * Percentile bootstrap intervals of AUC, TPR, FPR and TPR gap for every label, the whole set and
 * every subgroup, as chexploration's {@code results_disease_detection.py}: the threshold is
 * re-chosen by the rule in every replicate (on each group's own replicate sample with
 * {@link ThresholdScope#PER_GROUP}). Replicate r draws from streams derived from (seed, r) alone, so
 * the intervals are identical on every runner and parallelism.
 *
 * <p>Image-level replicates (the default) are stratified by each label's own 0/1 target; with
 * {@link #withStrata} by one class column (the original stratifies SPLIT-race on the 3-class race
 * target). They are drawn where the rows lie ({@link BlockBootstrap}): each label's rows in blocks of
 * one score segment (a tie larger than a block split by row into several), each replicate's draws
 * allocated to the blocks and drawn within them, and each
 * replicate's curves read segment by segment, so no worker holds more than a block and the sample is
 * never gathered. Class counts are kept exactly, as {@code sklearn.utils.resample(stratify=...)}; the
 * draws differ from numpy's and from a one-step draw, the distribution does not. Labels are drawn
 * separately (intervals are per label, so sharing a draw across labels would not change them).
 *
 * <p>Patient-level replicates ({@link Unit#PATIENT}) draw as many patients as there are, with replacement,
 * and take each drawn patient's rows with its multiplicity (a cluster bootstrap: images of one patient
 * are correlated). They are drawn where the patients lie ({@link PatientWeights}): patients in blocks by a
 * hash of their id, each replicate's draws allocated to the patient blocks by their patient counts and
 * drawn within them, as the image path draws rows; each row then travels to its score blocks with its
 * patient's multiplicity in each replicate, and the curves are read segment by segment by the same
 * passes as image-level replicates. No worker holds more than a block of rows or patients; the draws
 * differ from a one-step draw ({@link org.chexaudit.core.stats.ClusterResample}), the distribution does
 * not ({@link org.chexaudit.core.stats.BlockClusterResample} makes the same draws in memory). All labels
 * share each replicate's patients.
 *
 * <p>Output: one {@link MetricInterval} per (label, grouping, group, metric).
 */
public final class Bootstrap extends PTransform<PCollection<ScoredRow>, PCollection<MetricInterval>> {
  /** Work items per label: replicates are evaluated in this many independent chunks. */
  static final int CHUNKS = 32;

  /**
   * Rows per block (of a score segment; of patients, for patient-level replicates): a block (about 2.5 MB
   * as a record) and its replicate weights are what one worker holds at a time.
   */
  public static final long DEFAULT_BLOCK_ROWS = 1 << 16;

  /**
   * Bytes of row weights one record of patient-level replicates carries at most (a weight is a byte): a
   * block of {@link #DEFAULT_BLOCK_ROWS} rows then carries 128 replicates' weights per record.
   */
  static final long DEFAULT_RECORD_WEIGHTS = 1 << 23;

  /** What a replicate resamples. */
  public enum Unit { IMAGE, PATIENT }

  private final List<String> labels;
  private final List<String> attributes;
  private final List<String> groupings;
  private final ThresholdRule rule;
  private final ThresholdScope scope;
  private final GapRules gapRules;
  private final int replicates;
  private final long seed;
  private final Unit unit;
  private final String strata;
  private final double level;
  private final Map<String, Double> fixedThresholds;
  private final long segmentTarget;
  /** Replicates whose row weights one record of patient-level replicates carries; 0: {@link #DEFAULT_RECORD_WEIGHTS} bytes' worth. */
  private final int replicatesPerRecord;

  private Bootstrap(List<String> labels, List<String> attributes, List<String> groupings, ThresholdRule rule,
      ThresholdScope scope, GapRules gapRules, int replicates, long seed, Unit unit, String strata, double level,
      Map<String, Double> fixedThresholds, long segmentTarget, int replicatesPerRecord) {
    this.labels = labels;
    this.attributes = attributes;
    this.groupings = groupings;
    this.rule = rule;
    this.scope = scope;
    this.gapRules = gapRules;
    this.replicates = replicates;
    this.seed = seed;
    this.unit = unit;
    this.strata = strata;
    this.level = level;
    this.fixedThresholds = fixedThresholds;
    this.segmentTarget = segmentTarget;
    this.replicatesPerRecord = replicatesPerRecord;
  }

  /**
   * 2000 image-level replicates stratified by each label's target, 95 % intervals, seed 42, FPR-0.2
   * rule on the whole set, CheXclusion's gap rules.
   */
  public static Bootstrap of(List<String> labels, List<String> attributes, List<String> groupings) {
    checkArgument(labels != null && !labels.isEmpty(), "Bootstrap: labels must not be empty");
    Grouping.parseAll(groupings, attributes);
    return new Bootstrap(List.copyOf(labels), List.copyOf(attributes), List.copyOf(groupings),
        ThresholdRule.parse("fpr:0.2"), ThresholdScope.GLOBAL, GapRules.CHEXCLUSION, 2000, 42L, Unit.IMAGE, null,
        0.95, Map.of(), DEFAULT_BLOCK_ROWS, 0);
  }

  public Bootstrap withRule(ThresholdRule rule) {
    checkArgument(rule != null, "Bootstrap: rule can not be null");
    return new Bootstrap(labels, attributes, groupings, rule, scope, gapRules, replicates, seed, unit, strata, level,
        fixedThresholds, segmentTarget, replicatesPerRecord);
  }

  /** Whether the rule is re-applied on the whole replicate (default) or on each group's own rows. */
  public Bootstrap withScope(ThresholdScope scope) {
    checkArgument(scope != null, "Bootstrap: scope can not be null");
    return new Bootstrap(labels, attributes, groupings, rule, scope, gapRules, replicates, seed, unit, strata, level,
        fixedThresholds, segmentTarget, replicatesPerRecord);
  }

  /** The TPR-gap rule of each attribute. */
  public Bootstrap withGapRules(GapRules gapRules) {
    checkArgument(gapRules != null, "Bootstrap: gapRules can not be null");
    return new Bootstrap(labels, attributes, groupings, rule, scope, gapRules, replicates, seed, unit, strata, level,
        fixedThresholds, segmentTarget, replicatesPerRecord);
  }

  public Bootstrap withReplicates(int replicates) {
    checkArgument(replicates >= 1, "Bootstrap: replicates must be >= 1, got %s", replicates);
    return new Bootstrap(labels, attributes, groupings, rule, scope, gapRules, replicates, seed, unit, strata, level,
        fixedThresholds, segmentTarget, replicatesPerRecord);
  }

  public Bootstrap withSeed(long seed) {
    return new Bootstrap(labels, attributes, groupings, rule, scope, gapRules, replicates, seed, unit, strata, level,
        fixedThresholds, segmentTarget, replicatesPerRecord);
  }

  public Bootstrap withUnit(Unit unit) {
    checkArgument(unit != null, "Bootstrap: unit can not be null");
    checkArgument(unit == Unit.IMAGE || strata == null, "Bootstrap: strata %s need unit IMAGE, got %s", strata, unit);
    return new Bootstrap(labels, attributes, groupings, rule, scope, gapRules, replicates, seed, unit, strata, level,
        fixedThresholds, segmentTarget, replicatesPerRecord);
  }

  /**
   * Stratify image-level replicates on the row attribute {@code attribute} (a class column such as a
   * multi-class target) instead of each label's own target; all labels then share each draw.
   */
  public Bootstrap withStrata(String attribute) {
    checkArgument(attribute != null && attributes.contains(attribute),
        "Bootstrap: strata must be one of the row attributes %s, got %s", attributes, attribute);
    checkArgument(unit == Unit.IMAGE, "Bootstrap: strata need unit IMAGE, got %s", unit);
    return new Bootstrap(labels, attributes, groupings, rule, scope, gapRules, replicates, seed, unit, attribute,
        level, fixedThresholds, segmentTarget, replicatesPerRecord);
  }

  public Bootstrap withLevel(double level) {
    checkArgument(level > 0 && level < 1, "Bootstrap: level must be in (0, 1), got %s", level);
    return new Bootstrap(labels, attributes, groupings, rule, scope, gapRules, replicates, seed, unit, strata, level,
        fixedThresholds, segmentTarget, replicatesPerRecord);
  }

  /** Per-label thresholds chosen elsewhere (e.g. on a validation file): kept fixed in every replicate. */
  public Bootstrap withThresholds(Map<String, Double> thresholds) {
    checkArgument(thresholds != null && thresholds.keySet().containsAll(labels),
        "Bootstrap: thresholds must cover every label %s, got %s", labels, thresholds);
    return new Bootstrap(labels, attributes, groupings, rule, scope, gapRules, replicates, seed, unit, strata, level,
        Map.copyOf(thresholds), segmentTarget, replicatesPerRecord);
  }

  /**
   * Rows per block (default {@value #DEFAULT_BLOCK_ROWS}): what one worker holds. Score blocks hold about
   * this many rows, and patient-level replicates put patients in one block per this many rows. The draws
   * depend on it (they are made block by block), their distribution does not.
   */
  public Bootstrap withSegmentTarget(long rows) {
    checkArgument(rows >= 1, "Bootstrap: segmentTarget must be >= 1, got %s", rows);
    return new Bootstrap(labels, attributes, groupings, rule, scope, gapRules, replicates, seed, unit, strata, level,
        fixedThresholds, rows, replicatesPerRecord);
  }

  /**
   * Patient-level replicates whose row weights one record carries (default: {@value #DEFAULT_RECORD_WEIGHTS}
   * bytes' worth of a block's rows); tests set it low to make several records per block. The intervals do
   * not depend on it.
   */
  Bootstrap withReplicatesPerRecord(int replicatesPerRecord) {
    checkArgument(replicatesPerRecord >= 1, "Bootstrap: replicatesPerRecord must be >= 1, got %s",
        replicatesPerRecord);
    return new Bootstrap(labels, attributes, groupings, rule, scope, gapRules, replicates, seed, unit, strata, level,
        fixedThresholds, segmentTarget, replicatesPerRecord);
  }

  @Override
  public PCollection<MetricInterval> expand(PCollection<ScoredRow> rows) {
    int perRecord = replicatesPerRecord > 0 ? replicatesPerRecord
        : (int) Math.max(1, Math.min(replicates + 1L, DEFAULT_RECORD_WEIGHTS / segmentTarget));
    return rows.apply("Blocks", new BlockBootstrap(labels, attributes, groupings, rule, scope, gapRules, replicates,
        seed, unit, strata, level, fixedThresholds, segmentTarget, perRecord));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("replicates", replicates)).add(DisplayData.item("seed", seed))
        .add(DisplayData.item("unit", unit.name())).add(DisplayData.item("rule", rule.describe()))
        .add(DisplayData.item("scope", scope.name())).add(DisplayData.item("gapRules", gapRules.toString()))
        .add(DisplayData.item("strata", strata == null ? "each label's target" : strata))
        .add(DisplayData.item("level", level));
  }
}
