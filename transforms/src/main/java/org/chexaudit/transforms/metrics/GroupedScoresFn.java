package org.chexaudit.transforms.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.chexaudit.core.stats.Grouping;
import org.chexaudit.core.stats.ScoreSegments;
import org.chexaudit.core.stats.SegmentLayout;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.core.stats.SortedScores;

/**
 * Buffers rows and sends, per label, the buffer's rows as one {@link GroupedScores} in ascending score order
 * (score, target and group of each grouping, equal rows counted once), keyed by label; {@link SplitSegmentsFn}
 * then cuts each part by score segment ({@link ScoreSegments}, cut points from {@link SegmentCuts}). No side
 * input here: the rows are read once, as they come, and only the compact parts wait for the cuts (with the
 * cuts as this step's side input, the Direct runner held every row in memory, and retried them, while the cuts
 * were made). One radix sort per label and buffer ({@link SortedScores}); the buffer is flushed every
 * {@value #FLUSH_ROWS} rows, so memory does not grow with the bundle. Global windowing only (batch).
 */
final class GroupedScoresFn extends DoFn<ScoredRow, KV<String, GroupedScores>> {
  static final int FLUSH_ROWS = 1 << 16;
  private final List<String> labels;
  private final List<Grouping> groupings;
  /** The buffer's scores by label, row; targets by label, row; group codes by grouping, row (-1: none). */
  private transient double[][] scores;
  private transient boolean[][] positive;
  private transient int[][] codes;
  /** Per grouping: group name to code, and the names by code. */
  private transient List<Map<String, Integer>> codeOf;
  private transient List<List<String>> names;
  private transient int n;

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

  @StartBundle
  public void startBundle() {
    n = 0;
    scores = new double[labels.size()][1024];
    positive = new boolean[labels.size()][1024];
    codes = new int[groupings.size()][1024];
    codeOf = new ArrayList<>();
    names = new ArrayList<>();
    for (int g = 0; g < groupings.size(); g++) {
      codeOf.add(new HashMap<>());
      names.add(new ArrayList<>());
    }
  }

  @ProcessElement
  public void process(@Element ScoredRow row, OutputReceiver<KV<String, GroupedScores>> out) {
    checkWidth(row, labels);
    if (n == scores[0].length) {
      for (int l = 0; l < labels.size(); l++) {
        scores[l] = Arrays.copyOf(scores[l], 2 * n);
        positive[l] = Arrays.copyOf(positive[l], 2 * n);
      }
      for (int g = 0; g < groupings.size(); g++) {
        codes[g] = Arrays.copyOf(codes[g], 2 * n);
      }
    }
    for (int l = 0; l < labels.size(); l++) {
      scores[l][n] = row.score(l);
      positive[l][n] = row.target(l) == 1;
    }
    for (int g = 0; g < groupings.size(); g++) {
      String group = groupings.get(g).groupOf(row);
      codes[g][n] = group == null ? -1 : code(g, group);
    }
    if (++n == FLUSH_ROWS) {
      flush(out::output);
    }
  }

  private int code(int g, String group) {
    Integer c = codeOf.get(g).get(group);
    if (c == null) {
      c = names.get(g).size();
      codeOf.get(g).put(group, c);
      names.get(g).add(group);
    }
    return c;
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) {
    flush(kv -> c.output(kv, BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE));
    scores = null;
    positive = null;
    codes = null;
  }

  /** Per label: one sort of the buffer's scores and one {@link GroupedScores} of them all. */
  private void flush(Consumer<KV<String, GroupedScores>> out) {
    for (int l = 0; l < labels.size() && n > 0; l++) {
      int[] order = SortedScores.order(scores[l], n);
      out.accept(KV.of(labels.get(l), GroupedScores.of(scores[l], positive[l], codes, order, 0, n, names)));
    }
    n = 0;
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
