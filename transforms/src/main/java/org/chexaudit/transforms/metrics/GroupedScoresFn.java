package org.chexaudit.transforms.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.chexaudit.core.stats.Grouping;
import org.chexaudit.core.stats.ScoreSegments;
import org.chexaudit.core.stats.SegmentLayout;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.core.stats.ScoredRowBatch;
import org.chexaudit.core.stats.SortedScores;

/**
 * Sends, per label, a batch's rows as one {@link GroupedScores} in ascending score order (score, target and group
 * of each grouping, equal rows counted once), keyed by label; {@link SplitSegmentsFn} then cuts each part by score
 * segment ({@link ScoreSegments}, cut points from {@link SegmentCuts}). No side input here: the rows are read
 * once, as they come, and only the compact parts wait for the cuts (with the cuts as this step's side input, the
 * Direct runner held every row in memory, and retried them, while the cuts were made). One radix sort per label
 * and batch ({@link SortedScores}); a batch holds at most {@link BatchScoredRows#BATCH_ROWS} rows.
 */
final class GroupedScoresFn extends DoFn<ScoredRowBatch, KV<String, GroupedScores>> {
  private final List<String> labels;
  private final List<Grouping> groupings;

  GroupedScoresFn(List<String> labels, List<Grouping> groupings) {
    this.labels = labels;
    this.groupings = groupings;
  }

  static void checkWidth(ScoredRow row, List<String> labels) {
    if (row.labelCount() != labels.size()) {
      throw new IllegalArgumentException("row " + row.id() + " has " + row.labelCount() + " scores, expected "
          + labels.size() + " for labels " + labels);
    }
  }

  static void checkWidth(ScoredRowBatch batch, List<String> labels) {
    if (batch.labelCount() != labels.size()) {
      throw new IllegalArgumentException("rows have " + batch.labelCount() + " scores, expected "
          + labels.size() + " for labels " + labels);
    }
  }

  @ProcessElement
  public void process(@Element ScoredRowBatch batch, OutputReceiver<KV<String, GroupedScores>> out) {
    checkWidth(batch, labels);
    int n = batch.size();
    // each row's combination of attribute values, and each combination's group in each grouping as a code
    // into the grouping's names (-1: none)
    int[] rowCombination = new int[n];
    for (int i = 0; i < n; i++) {
      rowCombination[i] = batch.combination(i);
    }
    int[][] combinationCodes = new int[batch.combinationCount()][groupings.size()];
    List<List<String>> names = new ArrayList<>();
    for (int g = 0; g < groupings.size(); g++) {
      List<String> groupNames = new ArrayList<>();
      int[] byCombination = batch.groupCodes(groupings.get(g), groupNames);
      for (int c = 0; c < byCombination.length; c++) {
        combinationCodes[c][g] = byCombination[c];
      }
      names.add(groupNames);
    }
    for (int l = 0; l < labels.size(); l++) {
      double[] scores = batch.scores(l);
      int[] order = SortedScores.order(scores, n);
      out.output(KV.of(labels.get(l),
          GroupedScores.of(scores, batch.positives(l), rowCombination, combinationCodes, order, 0, n, names)));
    }
  }

  /**
   * Cuts each label's parts by score segment once the label's {@link SegmentLayout} is known: {@code
   * KV<(label, segment), GroupedScores>}, a record bounded by the segment's size.
   */
  static final class SplitSegmentsFn extends DoFn<KV<String, GroupedScores>, KV<KV<String, Integer>, GroupedScores>> {
    private final PCollectionView<Map<String, SegmentLayout>> cutView;

    SplitSegmentsFn(PCollectionView<Map<String, SegmentLayout>> cutView) {
      this.cutView = cutView;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      String label = c.element().getKey();
      SegmentLayout layout = c.sideInput(cutView).get(label);
      c.element().getValue().bySegment(layout, (segment, part) -> c.output(KV.of(KV.of(label, segment), part)));
    }
  }
}
