package org.chexaudit.transforms.metrics;

import static org.chexaudit.core.Checks.checkArgument;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.chexaudit.core.stats.GapRules;
import org.chexaudit.core.stats.SubgroupKey;
import org.chexaudit.core.stats.TprGaps;
import org.chexaudit.schemas.IntervalMetric;
import org.chexaudit.schemas.MetricInterval;
import org.chexaudit.schemas.SubgroupMetric;
import org.chexaudit.schemas.TprGap;

/**
 * CheXclusion's TPR disparity from {@link SubgroupMetrics} output: per (run, label, grouping), the
 * gap of every group's TPR under the grouping's {@link GapRules rule} (complement for sex, median
 * otherwise, by default), and its share of the positives. Insufficient-data groups count as groups
 * without positives (gap NaN). Optionally joins the gap intervals of a {@link Bootstrap}.
 */
public final class TprDisparity extends PTransform<PCollection<SubgroupMetric>, PCollection<TprGap>> {
  private final GapRules rules;
  private final PCollection<MetricInterval> intervals;

  private TprDisparity(GapRules rules, PCollection<MetricInterval> intervals) {
    this.rules = rules;
    this.intervals = intervals;
  }

  /** CheXclusion's rules ({@link GapRules#CHEXCLUSION}), no intervals. */
  public static TprDisparity create() {
    return new TprDisparity(GapRules.CHEXCLUSION, null);
  }

  /** The gap rule of each attribute. */
  public TprDisparity withGapRules(GapRules rules) {
    checkArgument(rules != null, "TprDisparity: rules can not be null");
    return new TprDisparity(rules, intervals);
  }

  /** Adds the {@link IntervalMetric#TPR_GAP} bounds of a {@link Bootstrap}. */
  public TprDisparity withIntervals(PCollection<MetricInterval> intervals) {
    checkArgument(intervals != null, "TprDisparity: intervals can not be null");
    return new TprDisparity(rules, intervals);
  }

  @Override
  public PCollection<TprGap> expand(PCollection<SubgroupMetric> metrics) {
    PCollectionView<Map<SubgroupKey, Iterable<MetricInterval>>> view =
        intervals == null ? null : IntervalView.of(intervals);
    ParDo.SingleOutput<KV<List<String>, Iterable<SubgroupMetric>>, TprGap> gaps = ParDo.of(new GapFn(rules, view));
    return metrics
        .apply("KeyByAttribute", ParDo.of(new KeyFn()))
        .setCoder(KvCoder.of(ListCoder.of(StringUtf8Coder.of()), AvroCoder.of(SubgroupMetric.class)))
        .apply("GatherAttribute", GroupByKey.create())
        .apply("Gaps", view == null ? gaps : gaps.withSideInputs(view))
        .setCoder(AvroCoder.of(TprGap.class));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("gapRules", rules.toString()));
  }

  /** Key: run ("" for none), label, grouping; a run's groups are compared only with each other. */
  private static final class KeyFn extends DoFn<SubgroupMetric, KV<List<String>, SubgroupMetric>> {
    @ProcessElement
    public void process(@Element SubgroupMetric m, OutputReceiver<KV<List<String>, SubgroupMetric>> out) {
      if (!SubgroupKey.ALL.equals(m.getAttribute().toString())) {
        String run = m.getRun() == null ? "" : m.getRun().toString();
        out.output(KV.of(List.of(run, m.getLabel().toString(), m.getAttribute().toString()), m));
      }
    }
  }

  private static final class GapFn extends DoFn<KV<List<String>, Iterable<SubgroupMetric>>, TprGap> {
    private final GapRules rules;
    private final PCollectionView<Map<SubgroupKey, Iterable<MetricInterval>>> intervals;

    GapFn(GapRules rules, PCollectionView<Map<SubgroupKey, Iterable<MetricInterval>>> intervals) {
      this.rules = rules;
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
      String run = c.element().getKey().get(0);
      String label = c.element().getKey().get(1);
      String attribute = c.element().getKey().get(2);
      List<TprGaps.Gap> gaps = TprGaps.of(counts, rules.ruleFor(attribute));
      for (int i = 0; i < gaps.size(); i++) {
        TprGaps.Gap g = gaps.get(i);
        SubgroupMetric m = groups.get(i);
        TprGap.Builder b = TprGap.newBuilder().setRun(run.isEmpty() ? null : run).setLabel(label)
            .setAttribute(attribute).setGroup(g.group).setPositives(m.getPositives())
            .setTruePositives(m.getTruePositives())
            .setTpr(MetricRecords.orNull(g.tpr)).setTprGap(MetricRecords.orNull(g.gap))
            .setShareOfPositives(MetricRecords.orNull((double) m.getPositives() / sumPositives(groups)));
        if (intervals != null) {
          Map<IntervalMetric, MetricInterval> bounds =
              IntervalView.byMetric(c.sideInput(intervals).get(new SubgroupKey(label, attribute, g.group)));
          MetricInterval gap = bounds == null ? null : bounds.get(IntervalMetric.TPR_GAP);
          if (gap != null) {
            b.setGapLo(gap.getLower()).setGapHi(gap.getUpper());
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
