package org.chexaudit.transforms.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Buffers rows and sends, per label and score segment ({@link ScoreSegments}, cut points from
 * {@link SegmentCuts}), the buffer's rows of that segment as one {@link GroupedScores} (score, target and
 * group of each grouping, equal rows counted once), keyed by (label, segment): a row travels once per label,
 * and the subgroups' histograms are read off it after the shuffle. One radix sort per label and buffer
 * ({@link SortedScores}); the buffer is flushed every {@value #FLUSH_ROWS} rows, so memory does not grow with
 * the bundle. Global windowing only (batch).
 */
final class GroupedScoresFn extends DoFn<ScoredRow, KV<KV<String, Integer>, GroupedScores>> {
  static final int FLUSH_ROWS = 1 << 16;
  private final List<String> labels;
  private final List<Grouping> groupings;
  private final PCollectionView<Map<String, SegmentLayout>> cutView;
  /** Each label's cut points, read from the side input once per instance. */
  private transient SegmentLayout[] cuts;
  /** The buffer's scores by label, row; targets by label, row; group codes by grouping, row (-1: none). */
  private transient double[][] scores;
  private transient boolean[][] positive;
  private transient int[][] codes;
  /** Per grouping: group name to code, and the names by code. */
  private transient List<Map<String, Integer>> codeOf;
  private transient List<List<String>> names;
  private transient int n;

  GroupedScoresFn(List<String> labels, List<Grouping> groupings, PCollectionView<Map<String, SegmentLayout>> cutView) {
    this.labels = labels;
    this.groupings = groupings;
    this.cutView = cutView;
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
  public void process(ProcessContext c) {
    ScoredRow row = c.element();
    checkWidth(row, labels);
    if (cuts == null) {
      Map<String, SegmentLayout> byLabel = c.sideInput(cutView);
      cuts = new SegmentLayout[labels.size()];
      for (int l = 0; l < labels.size(); l++) {
        cuts[l] = byLabel.get(labels.get(l));
      }
    }
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
      flush(c::output);
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

  /** Per label: one sort of the buffer's scores, then one {@link GroupedScores} per segment met. */
  private void flush(java.util.function.Consumer<KV<KV<String, Integer>, GroupedScores>> out) {
    for (int l = 0; l < labels.size() && n > 0; l++) {
      int[] order = SortedScores.order(scores[l], n);
      double[] s = scores[l];
      int from = 0;
      while (from < n) {
        int segment = cuts[l].segmentOf(s[order[from]]);
        int to = from + 1;
        while (to < n && cuts[l].segmentOf(s[order[to]]) == segment) {
          to++;
        }
        out.accept(KV.of(KV.of(labels.get(l), segment),
            GroupedScores.of(s, positive[l], codes, order, from, to, names)));
        from = to;
      }
    }
    n = 0;
  }
}
