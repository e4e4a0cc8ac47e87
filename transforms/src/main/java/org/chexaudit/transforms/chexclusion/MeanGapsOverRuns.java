package org.chexaudit.transforms.chexclusion;

import static org.chexaudit.core.Checks.checkArgument;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.chexaudit.core.chexclusion.DisparityAttribute;
import org.chexaudit.core.chexclusion.GroupGap;
import org.chexaudit.core.chexclusion.MeanDisparity;
import org.chexaudit.core.stats.SeedInterval;
import org.chexaudit.schemas.TprGap;

/**
 * CheXclusion's aggregation over training runs (spec B7, {@code Confidence.py}) of the per-run
 * {@link TprGap} rows of {@code TprDisparity}: per attribute, label and group the mean share, the mean
 * gap and the {@link SeedInterval} half-width over the runs, and the label's Distance
 * ({@link MeanDisparity}). Output: one {@link TprGap} per (label, attribute, group) with {@code run}
 * null, {@code ci} and {@code distance} set. An attribute's rows (runs x labels x groups, a few hundred)
 * are gathered under its name; runs are read in the order given, so the means have the same bits as
 * {@link MeanDisparity} computed anywhere else on the same runs.
 */
public final class MeanGapsOverRuns extends PTransform<PCollection<TprGap>, PCollection<TprGap>> {
  private final List<String> runs;
  private final List<String> labels;
  private final List<DisparityAttribute> attributes;
  private final SeedInterval interval;

  private MeanGapsOverRuns(List<String> runs, List<String> labels, List<DisparityAttribute> attributes,
      SeedInterval interval) {
    this.runs = runs;
    this.labels = labels;
    this.attributes = attributes;
    this.interval = interval;
  }

  /** Means over {@code runs} (in this order) of every attribute in {@code attributes}. */
  public static MeanGapsOverRuns of(List<String> runs, List<String> labels, List<DisparityAttribute> attributes,
      SeedInterval interval) {
    checkArgument(runs != null && !runs.isEmpty(), "MeanGapsOverRuns: runs must not be empty, got %s", runs);
    checkArgument(labels != null && !labels.isEmpty(), "MeanGapsOverRuns: labels must not be empty, got %s", labels);
    checkArgument(attributes != null && !attributes.isEmpty(), "MeanGapsOverRuns: no attributes");
    checkArgument(interval != null, "MeanGapsOverRuns: interval can not be null");
    return new MeanGapsOverRuns(List.copyOf(runs), List.copyOf(labels), List.copyOf(attributes), interval);
  }

  @Override
  public PCollection<TprGap> expand(PCollection<TprGap> gaps) {
    return gaps
        .apply("KeyByAttribute", ParDo.of(new KeyFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), AvroCoder.of(TprGap.class)))
        .apply("GatherAttribute", GroupByKey.create())
        .apply("MeanOverRuns", ParDo.of(new MeanFn(this)))
        .setCoder(AvroCoder.of(TprGap.class));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("runs", String.join(",", runs))).add(DisplayData.item("interval", interval.name()));
  }

  private static final class KeyFn extends DoFn<TprGap, KV<String, TprGap>> {
    @ProcessElement
    public void process(@Element TprGap g, OutputReceiver<KV<String, TprGap>> out) {
      if (g.getRun() != null) {
        out.output(KV.of(g.getAttribute().toString(), g));
      }
    }
  }

  private static final class MeanFn extends DoFn<KV<String, Iterable<TprGap>>, TprGap> {
    private final MeanGapsOverRuns spec;

    MeanFn(MeanGapsOverRuns spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<TprGap>> e, OutputReceiver<TprGap> out) {
      DisparityAttribute attribute = spec.attributes.stream().filter(a -> a.name().equals(e.getKey())).findFirst()
          .orElse(null);
      if (attribute == null) {
        return; // a grouping that is not one of the configured attributes (e.g. an intersection)
      }
      Map<String, List<TprGap>> byRun = new HashMap<>();
      for (TprGap g : e.getValue()) {
        byRun.computeIfAbsent(g.getRun().toString(), k -> new ArrayList<>()).add(g);
      }
      List<Map<String, List<GroupGap>>> runs = new ArrayList<>();
      for (String run : spec.runs) {
        runs.add(RunRecords.gapsByLabel(spec.labels, attribute, byRun.getOrDefault(run, List.of())));
      }
      MeanDisparity d = MeanDisparity.of(attribute, spec.labels, runs, spec.interval);
      for (MeanDisparity.Row r : d.rows()) {
        for (MeanDisparity.GroupMean g : r.groups()) {
          out.output(TprGap.newBuilder().setLabel(r.label()).setAttribute(d.attribute()).setGroup(g.group())
              .setTprGap(orNull(g.gap())).setShareOfPositives(orNull(g.share())).setCi(orNull(g.ci()))
              .setDistance(orNull(r.distance())).build());
        }
      }
    }

    private static Double orNull(double v) {
      return Double.isNaN(v) ? null : v;
    }
  }
}
