package org.chexaudit.transforms.metrics;

import org.chexaudit.core.stats.ScoredRow;

import org.chexaudit.core.stats.Grouping;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.chexaudit.core.stats.ScoreHistogram;
import org.chexaudit.core.stats.SortedScores;
import org.chexaudit.core.stats.SubgroupKey;

/**
 * Pre-combines, within a bundle, the scores of every (label, attribute, group) key into one exact
 * {@link ScoreHistogram} per key (one radix sort per label, see {@link SortedScores}), so only a few partial histograms per bundle are shuffled instead
 * of one element per row, label and grouping. Keys are {@link SubgroupKey}s, with
 * {@link SubgroupKey#whole} for the whole set. Global windowing only (batch).
 */
final class PartialHistogramsFn extends DoFn<ScoredRow, KV<SubgroupKey, ScoreHistogram>> {
  static final String ALL = SubgroupKey.ALL;
  private final List<String> labels;
  private final List<Grouping> groupings;
  /** The bundle's scores by label, row; targets by label, row; group codes by grouping, row (-1: none). */
  private transient double[][] scores;
  private transient boolean[][] positive;
  private transient int[][] codes;
  /** Per grouping: group name to code, and the names by code. */
  private transient List<Map<String, Integer>> codeOf;
  private transient List<List<String>> names;
  private transient int n;

  PartialHistogramsFn(List<String> labels, List<Grouping> groupings) {
    this.labels = labels;
    this.groupings = groupings;
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
  public void process(@Element ScoredRow row) {
    if (row.labelCount() != labels.size()) {
      throw new IllegalArgumentException("row " + row.id() + " has " + row.labelCount() + " scores, expected "
          + labels.size() + " for labels " + labels);
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
    n++;
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

  /** Per label: one sort of the bundle's scores, then the whole set's and every group's histogram in one pass. */
  @FinishBundle
  public void finishBundle(FinishBundleContext c) {
    if (n > 0) {
      for (int l = 0; l < labels.size(); l++) {
        int[] order = SortedScores.order(scores[l], n);
        SortedScores.Builder whole = new SortedScores.Builder();
        SortedScores.Builder[][] byGroup = new SortedScores.Builder[groupings.size()][];
        for (int g = 0; g < groupings.size(); g++) {
          byGroup[g] = new SortedScores.Builder[names.get(g).size()];
          for (int k = 0; k < byGroup[g].length; k++) {
            byGroup[g][k] = new SortedScores.Builder();
          }
        }
        double[] s = scores[l];
        boolean[] p = positive[l];
        for (int i : order) {
          whole.add(s[i], p[i]);
          for (int g = 0; g < byGroup.length; g++) {
            int k = codes[g][i];
            if (k >= 0) {
              byGroup[g][k].add(s[i], p[i]);
            }
          }
        }
        emit(c, SubgroupKey.whole(labels.get(l)), whole);
        for (int g = 0; g < groupings.size(); g++) {
          for (int k = 0; k < byGroup[g].length; k++) {
            emit(c, new SubgroupKey(labels.get(l), groupings.get(g).name(), names.get(g).get(k)), byGroup[g][k]);
          }
        }
      }
    }
    scores = null;
    positive = null;
    codes = null;
  }

  private static void emit(FinishBundleContext c, SubgroupKey key, SortedScores.Builder b) {
    if (!b.isEmpty()) {
      c.output(KV.of(key, b.build()), BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
    }
  }
}
