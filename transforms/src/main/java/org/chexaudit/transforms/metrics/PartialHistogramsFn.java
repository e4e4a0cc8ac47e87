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
import org.chexaudit.core.stats.ScoreHistogram;
import org.chexaudit.core.stats.ScoreSegments;
import org.chexaudit.core.stats.SegmentLayout;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.core.stats.SortedScores;
import org.chexaudit.core.stats.SubgroupKey;

/**
 * Pre-combines buffered rows into one exact {@link ScoreHistogram} per (label, attribute, group) and
 * score segment ({@link ScoreSegments}, cut points from {@link SegmentCuts}), so only a few partial
 * histograms per buffer are shuffled instead of one element per row, label and grouping, and no
 * record holds more than a segment. One radix sort per label and buffer ({@link SortedScores}); the
 * buffer is flushed every {@value #FLUSH_ROWS} rows, so memory does not grow with the bundle. Keys are
 * ({@link SubgroupKey}, segment), with {@link SubgroupKey#whole} for the whole set. Global windowing only
 * (batch).
 */
final class PartialHistogramsFn extends DoFn<ScoredRow, KV<KV<SubgroupKey, Integer>, ScoreHistogram>> {
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

  PartialHistogramsFn(List<String> labels, List<Grouping> groupings, PCollectionView<Map<String, SegmentLayout>> cutView) {
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

  /**
   * Per label: one sort of the buffer's scores, then the whole set's and every group's histogram of
   * each segment in one ascending pass.
   */
  private void flush(java.util.function.Consumer<KV<KV<SubgroupKey, Integer>, ScoreHistogram>> out) {
    for (int l = 0; l < labels.size() && n > 0; l++) {
      int[] order = SortedScores.order(scores[l], n);
      double[] s = scores[l];
      boolean[] p = positive[l];
      int segment = -1;
      Builders builders = null;
      for (int i : order) {
        int at = cuts[l].segmentOf(s[i]);
        if (at != segment) {
          if (builders != null) {
            builders.emit(labels.get(l), segment, out);
          }
          builders = new Builders();
          segment = at;
        }
        builders.whole.add(s[i], p[i]);
        for (int g = 0; g < groupings.size(); g++) {
          int k = codes[g][i];
          if (k >= 0) {
            builders.group(g, k).add(s[i], p[i]);
          }
        }
      }
      builders.emit(labels.get(l), segment, out);
    }
    n = 0;
  }

  /** One segment's histogram builders: the whole set's and each (grouping, group code)'s. */
  private final class Builders {
    final SortedScores.Builder whole = new SortedScores.Builder();
    final SortedScores.Builder[][] byGroup = new SortedScores.Builder[groupings.size()][];

    SortedScores.Builder group(int g, int k) {
      if (byGroup[g] == null || byGroup[g].length <= k) {
        byGroup[g] = byGroup[g] == null ? new SortedScores.Builder[names.get(g).size()]
            : Arrays.copyOf(byGroup[g], names.get(g).size());
      }
      if (byGroup[g][k] == null) {
        byGroup[g][k] = new SortedScores.Builder();
      }
      return byGroup[g][k];
    }

    void emit(String label, int segment, java.util.function.Consumer<KV<KV<SubgroupKey, Integer>, ScoreHistogram>> out) {
      out.accept(KV.of(KV.of(SubgroupKey.whole(label), segment), whole.build()));
      for (int g = 0; g < groupings.size(); g++) {
        SortedScores.Builder[] groups = byGroup[g] == null ? new SortedScores.Builder[0] : byGroup[g];
        for (int k = 0; k < groups.length; k++) {
          if (groups[k] != null && !groups[k].isEmpty()) {
            out.accept(KV.of(KV.of(new SubgroupKey(label, groupings.get(g).name(), names.get(g).get(k)), segment),
                groups[k].build()));
          }
        }
      }
    }
  }
}
