package org.chexaudit.examples.nih;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.chexaudit.core.stats.AgeBins;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.schemas.SubgroupMetric;
import org.chexaudit.schemas.TprGap;
import org.chexaudit.transforms.coders.ScoredRowCoder;
import org.chexaudit.transforms.grouping.ShardedCoGroupByKey;
import org.chexaudit.transforms.metrics.SubgroupMetrics;
import org.chexaudit.transforms.metrics.TprDisparity;

/**
 * An audit of a ChestX-ray14 model's scores by sex, age group and their intersection, built only
 * from chexaudit's public transforms: join the entry file with the scores, then
 * {@link SubgroupMetrics} (AUC, TPR and FPR at the FPR-0.2 point of the whole set, percentile
 * bootstrap intervals) and {@link TprDisparity} (each group's TPR gap). Nothing here is CheXpert.
 */
public final class NihSubgroupAudit {
  static final List<String> ATTRIBUTES = List.of("sex", "age");
  static final List<String> GROUPINGS = List.of("sex", "age", "sex*age");
  /** CheXclusion's age groups (0-20, 20-40, 40-60, 60-80, 80+). */
  private static final AgeBins AGE = AgeBins.chexclusion();

  private NihSubgroupAudit() {}

  public static void main(String[] args) {
    PipelineOptionsFactory.register(NihAuditOptions.class);
    run(PipelineOptionsFactory.fromArgs(args).withValidation().as(NihAuditOptions.class)).waitUntilFinish();
  }

  public static PipelineResult run(NihAuditOptions options) {
    List<String> findings = Arrays.stream(options.getFindings().split(",")).map(String::trim).toList();
    Pipeline p = Pipeline.create(options);

    PCollection<KV<String, NihEntry>> entries = p
        .apply("ReadEntries", TextIO.read().from(options.getDataEntry()))
        .apply("DropEntryHeader", Filter.by((String line) -> !line.startsWith(NihEntry.HEADER_START)))
        .apply("ParseEntries", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(NihEntry.class)))
            .via(line -> {
              NihEntry e = NihEntry.parse(line);
              return KV.of(e.image(), e);
            }));
    PCollection<KV<String, String>> scores = p
        .apply("ReadScores", TextIO.read().from(options.getScores()))
        .apply("DropScoresHeader", Filter.by((String line) -> !line.startsWith(NihEntry.HEADER_START)))
        .apply("KeyScores", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
            .via(line -> KV.of(line.substring(0, line.indexOf(',')), line)));

    TupleTag<NihEntry> entryTag = new TupleTag<>();
    TupleTag<String> scoreTag = new TupleTag<>();
    PCollection<ScoredRow> rows = KeyedPCollectionTuple.of(entryTag, entries).and(scoreTag, scores)
        // not CoGroupByKey: the Direct runner makes a bundle of each image's join, and the metrics' groupings
        // clone a key's gathered values for every bundle that reaches it (183 s for 2,000 images, 40 replicates)
        .apply("JoinByImage", ShardedCoGroupByKey.<String>create(options.getJoinBuckets()))
        .apply("ToScoredRows", ParDo.of(new ToScoredRow(findings, entryTag, scoreTag)))
        .setCoder(ScoredRowCoder.of());

    SubgroupMetrics metrics = SubgroupMetrics.of(findings, ATTRIBUTES, GROUPINGS).withMinGroupSize(10);
    if (options.getReplicates() > 0) {
      metrics = metrics.withBootstrap(metrics.bootstrap().withReplicates(options.getReplicates()).withSeed(options.getSeed()));
    }
    PCollection<SubgroupMetric> perGroup = rows.apply("SubgroupMetrics", metrics);
    perGroup
        .apply("FormatMetrics", MapElements.into(TypeDescriptors.strings()).via(NihSubgroupAudit::metricLine))
        .apply("WriteMetrics", TextIO.write().to(options.getOutput() + "metrics").withSuffix(".csv")
            .withoutSharding().withHeader("finding,attribute,group,n,positives,auc,threshold,tpr,tpr_lo,tpr_hi,fpr"));
    perGroup.apply("TprGaps", TprDisparity.create())
        .apply("FormatGaps", MapElements.into(TypeDescriptors.strings()).via(NihSubgroupAudit::gapLine))
        .apply("WriteGaps", TextIO.write().to(options.getOutput() + "tpr_gaps").withSuffix(".csv")
            .withoutSharding().withHeader("finding,attribute,group,tpr,tpr_gap,share_of_positives"));
    return p.run();
  }

  /** Joins one image's entry and score line into a {@link ScoredRow}; images missing either are dropped. */
  static final class ToScoredRow extends DoFn<KV<String, CoGbkResult>, ScoredRow> {
    private final List<String> findings;
    private final TupleTag<NihEntry> entryTag;
    private final TupleTag<String> scoreTag;

    ToScoredRow(List<String> findings, TupleTag<NihEntry> entryTag, TupleTag<String> scoreTag) {
      this.findings = findings;
      this.entryTag = entryTag;
      this.scoreTag = scoreTag;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> joined, OutputReceiver<ScoredRow> out) {
      NihEntry entry = joined.getValue().getOnly(entryTag, null);
      String line = joined.getValue().getOnly(scoreTag, null);
      if (entry == null || line == null) {
        return;
      }
      String[] f = line.split(",", -1);
      if (f.length != findings.size() + 1) {
        throw new IllegalArgumentException("scores line for " + entry.image() + " has " + (f.length - 1)
            + " scores, expected " + findings.size() + " (" + findings + ")");
      }
      double[] s = new double[findings.size()];
      int[] t = new int[findings.size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = Double.parseDouble(f[i + 1]);
        t[i] = entry.findings().contains(findings.get(i)) ? 1 : 0;
      }
      out.output(ScoredRow.of(entry.image(), entry.patient(), s, t, new String[] {entry.sex(), AGE.label(entry.age())}));
    }
  }

  static String metricLine(SubgroupMetric m) {
    return String.join(",", m.getLabel().toString(), m.getAttribute().toString(), m.getGroup().toString(), Long.toString(m.getN()),
        Long.toString(m.getPositives()), num(m.getAuc()), num(m.getThreshold()), num(m.getTpr()), num(m.getTprLo()),
        num(m.getTprHi()), num(m.getFpr()));
  }

  static String gapLine(TprGap g) {
    return String.join(",", g.getLabel().toString(), g.getAttribute().toString(), g.getGroup().toString(), num(g.getTpr()), num(g.getTprGap()),
        num(g.getShareOfPositives()));
  }

  private static String num(Double v) {
    return v == null || v.isNaN() ? "" : String.format(Locale.ROOT, "%.6f", v);
  }
}
