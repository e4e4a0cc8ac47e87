package org.chexaudit.transforms.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.chexaudit.schemas.SubgroupMetric;
import org.chexaudit.schemas.TprGap;
import org.chexaudit.core.stats.TprGaps;

/**
 * CheXclusion's TPR disparity from {@link SubgroupMetrics} output: per (label, grouping), the gap
 * of every group's TPR to the rest (two groups) or to the median group TPR (more groups), and its
 * share of the positives. Insufficient-data groups count as groups without a TPR (gap NaN).
 * Optionally joins gap intervals from {@link Bootstrap}.
 */
public final class TprDisparity extends PTransform<PCollection<SubgroupMetric>, PCollection<TprGap>> {
  private final PCollection<KV<List<String>, List<Double>>> intervals;

  private TprDisparity(PCollection<KV<List<String>, List<Double>>> intervals) {
    this.intervals = intervals;
  }

  public static TprDisparity create() {
    return new TprDisparity(null);
  }

  /** Adds gap intervals (positions 6, 7 of each {@link Bootstrap} output). */
  public TprDisparity withIntervals(PCollection<KV<List<String>, List<Double>>> intervals) {
    return new TprDisparity(intervals);
  }

  @Override
  public PCollection<TprGap> expand(PCollection<SubgroupMetric> metrics) {
    PCollectionView<Map<List<String>, List<Double>>> view =
        intervals == null ? null : intervals.apply("IntervalView", View.asMap());
    ParDo.SingleOutput<KV<List<String>, Iterable<SubgroupMetric>>, TprGap> gaps = ParDo.of(new GapFn(view));
    return metrics
        .apply("KeyByAttribute", ParDo.of(new KeyFn()))
        .setCoder(KvCoder.of(ListCoder.of(StringUtf8Coder.of()), AvroCoder.of(SubgroupMetric.class)))
        .apply("GatherAttribute", GroupByKey.create())
        .apply("Gaps", view == null ? gaps : gaps.withSideInputs(view))
        .setCoder(AvroCoder.of(TprGap.class));
  }

  private static final class KeyFn extends DoFn<SubgroupMetric, KV<List<String>, SubgroupMetric>> {
    @ProcessElement
    public void process(@Element SubgroupMetric m, OutputReceiver<KV<List<String>, SubgroupMetric>> out) {
      if (!PartialHistogramsFn.ALL.equals(m.getAttribute().toString())) {
        out.output(KV.of(List.of(m.getLabel().toString(), m.getAttribute().toString()), m));
      }
    }
  }

  private static final class GapFn extends DoFn<KV<List<String>, Iterable<SubgroupMetric>>, TprGap> {
    private final PCollectionView<Map<List<String>, List<Double>>> intervals;

    GapFn(PCollectionView<Map<List<String>, List<Double>>> intervals) {
      this.intervals = intervals;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      List<SubgroupMetric> groups = new ArrayList<>();
      c.element().getValue().forEach(groups::add);
      groups.sort(Comparator.comparing(m -> m.getGroup().toString()));
      List<TprGaps.GroupCounts> counts = new ArrayList<>();
      for (SubgroupMetric m : groups) {
        boolean usable = m.getTruePositives() != null;
        counts.add(new TprGaps.GroupCounts(m.getGroup().toString(), usable ? m.getPositives() : 0,
            usable ? m.getTruePositives() : 0));
      }
      List<TprGaps.Gap> gaps = TprGaps.compute(counts);
      String label = c.element().getKey().get(0);
      String attribute = c.element().getKey().get(1);
      for (int i = 0; i < gaps.size(); i++) {
        TprGaps.Gap g = gaps.get(i);
        SubgroupMetric m = groups.get(i);
        TprGap.Builder b = TprGap.newBuilder().setLabel(label).setAttribute(attribute).setGroup(g.group)
            .setTpr(MetricRecords.orNull(g.tpr)).setTprGap(MetricRecords.orNull(g.gap))
            .setShareOfPositives(MetricRecords.orNull((double) m.getPositives() / sumPositives(groups)));
        if (intervals != null) {
          List<Double> bounds = c.sideInput(intervals).get(List.of(label, attribute, g.group));
          if (bounds != null) {
            b.setGapLo(MetricRecords.orNull(bounds.get(6))).setGapHi(MetricRecords.orNull(bounds.get(7)));
          }
        }
        c.output(b.build());
      }
    }

    private static double sumPositives(List<SubgroupMetric> groups) {
      long s = 0;
      for (SubgroupMetric m : groups) {
        s += m.getPositives();
      }
      return s == 0 ? Double.NaN : s;
    }
  }
}
