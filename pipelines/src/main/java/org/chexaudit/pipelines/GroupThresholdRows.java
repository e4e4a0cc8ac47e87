package org.chexaudit.pipelines;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.core.stats.ThresholdRule;
import org.chexaudit.transforms.coders.ScoredRowCoder;

/**
 * {@link GroupThresholdTable}'s rows in the pipeline: each label's rows are gathered on one worker
 * (the thresholds need the label's whole sample), and the table rows of each label come out keyed by
 * the label's position, for the driver to write in label order.
 */
final class GroupThresholdRows
    extends PTransform<PCollection<ScoredRow>, PCollection<KV<Integer, List<List<String>>>>> {
  private final List<String> labels;
  private final String attributeName;
  private final int attribute;
  private final String thresholdByName;
  private final int thresholdBy;
  private final ThresholdRule rule;

  GroupThresholdRows(List<String> labels, String attributeName, int attribute, String thresholdByName,
      int thresholdBy, ThresholdRule rule) {
    this.labels = List.copyOf(labels);
    this.attributeName = attributeName;
    this.attribute = attribute;
    this.thresholdByName = thresholdByName;
    this.thresholdBy = thresholdBy;
    this.rule = rule;
  }

  @Override
  public PCollection<KV<Integer, List<List<String>>>> expand(PCollection<ScoredRow> rows) {
    return rows
        .apply("KeyByLabel", ParDo.of(new KeyByLabelFn(labels.size())))
        .setCoder(KvCoder.of(VarIntCoder.of(), ScoredRowCoder.of()))
        .apply("GatherLabel", GroupByKey.create())
        .apply("Thresholds", ParDo.of(new TableFn(this)))
        .setCoder(KvCoder.of(VarIntCoder.of(), ListCoder.of(ListCoder.of(StringUtf8Coder.of()))));
  }

  private static final class KeyByLabelFn extends DoFn<ScoredRow, KV<Integer, ScoredRow>> {
    private final int labels;

    KeyByLabelFn(int labels) {
      this.labels = labels;
    }

    @ProcessElement
    public void process(@Element ScoredRow row, OutputReceiver<KV<Integer, ScoredRow>> out) {
      for (int l = 0; l < labels; l++) {
        out.output(KV.of(l, row));
      }
    }
  }

  private static final class TableFn extends DoFn<KV<Integer, Iterable<ScoredRow>>, KV<Integer, List<List<String>>>> {
    private final GroupThresholdRows spec;

    TableFn(GroupThresholdRows spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<ScoredRow>> e, OutputReceiver<KV<Integer, List<List<String>>>> out) {
      List<ScoredRow> rows = new ArrayList<>();
      e.getValue().forEach(rows::add);
      int l = e.getKey();
      out.output(KV.of(l, GroupThresholdTable.rows(rows, l, spec.labels.get(l), spec.attributeName, spec.attribute,
          spec.thresholdByName, spec.thresholdBy, spec.rule)));
    }
  }
}
