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
import org.chexaudit.core.stats.SubgroupKey;

/**
 * Pre-combines, within a bundle, the scores of every (label, attribute, group) key into one exact
 * {@link ScoreHistogram} per key, so only a few partial histograms per bundle are shuffled instead
 * of one element per row, label and grouping. Keys are {@link SubgroupKey}s, with
 * {@link SubgroupKey#whole} for the whole set. Global windowing only (batch).
 */
final class PartialHistogramsFn extends DoFn<ScoredRow, KV<SubgroupKey, ScoreHistogram>> {
  static final String ALL = SubgroupKey.ALL;
  private final List<String> labels;
  private final List<Grouping> groupings;
  private transient Buffer[] whole;
  private transient List<List<Map<String, Buffer>>> byGroup;

  PartialHistogramsFn(List<String> labels, List<Grouping> groupings) {
    this.labels = labels;
    this.groupings = groupings;
  }

  @StartBundle
  public void startBundle() {
    whole = new Buffer[labels.size()];
    byGroup = new ArrayList<>();
    for (int l = 0; l < labels.size(); l++) {
      whole[l] = new Buffer();
      List<Map<String, Buffer>> perGrouping = new ArrayList<>();
      for (int g = 0; g < groupings.size(); g++) {
        perGrouping.add(new HashMap<>());
      }
      byGroup.add(perGrouping);
    }
  }

  @ProcessElement
  public void process(@Element ScoredRow row) {
    if (row.labelCount() != labels.size()) {
      throw new IllegalArgumentException("row " + row.id() + " has " + row.labelCount() + " scores, expected "
          + labels.size() + " for labels " + labels);
    }
    String[] groups = new String[groupings.size()];
    for (int g = 0; g < groups.length; g++) {
      groups[g] = groupings.get(g).groupOf(row);
    }
    for (int l = 0; l < labels.size(); l++) {
      double s = row.score(l);
      boolean positive = row.target(l) == 1;
      whole[l].add(s, positive);
      List<Map<String, Buffer>> perGrouping = byGroup.get(l);
      for (int g = 0; g < groups.length; g++) {
        if (groups[g] != null) {
          perGrouping.get(g).computeIfAbsent(groups[g], k -> new Buffer()).add(s, positive);
        }
      }
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) {
    for (int l = 0; l < labels.size(); l++) {
      if (whole[l].size() > 0) {
        emit(c, SubgroupKey.whole(labels.get(l)), whole[l]);
      }
      for (int g = 0; g < groupings.size(); g++) {
        for (Map.Entry<String, Buffer> e : byGroup.get(l).get(g).entrySet()) {
          emit(c, new SubgroupKey(labels.get(l), groupings.get(g).name(), e.getKey()), e.getValue());
        }
      }
    }
    whole = null;
    byGroup = null;
  }

  private static void emit(FinishBundleContext c, SubgroupKey key, Buffer b) {
    c.output(KV.of(key, b.toHistogram()), BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
  }

  /** Growable positive and negative score arrays. */
  private static final class Buffer {
    double[] pos = new double[16];
    double[] neg = new double[16];
    int np;
    int nn;

    void add(double s, boolean positive) {
      if (positive) {
        if (np == pos.length) pos = Arrays.copyOf(pos, np * 2);
        pos[np++] = s;
      } else {
        if (nn == neg.length) neg = Arrays.copyOf(neg, nn * 2);
        neg[nn++] = s;
      }
    }

    int size() {
      return np + nn;
    }

    ScoreHistogram toHistogram() {
      return ScoreHistogram.of(pos, np, neg, nn);
    }
  }
}
