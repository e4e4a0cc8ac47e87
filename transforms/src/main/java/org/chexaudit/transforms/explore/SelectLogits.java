package org.chexaudit.transforms.explore;

import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.chexaudit.schemas.Prediction;
import org.chexaudit.transforms.coders.DoubleArrayCoder;

/**
 * The logits of named labels, by image id, from one head's predictions of one split: {@code
 * SelectLogits.of(labels, List.of("No Finding", "Pleural Effusion")).withSplit("test")} gives {@code
 * KV(id, [logit No Finding, logit Pleural Effusion])}. {@code labels} names the head's outputs in
 * index order (the cohort configuration's label list), so no index is written in code.
 */
public final class SelectLogits extends PTransform<PCollection<Prediction>, PCollection<KV<String, double[]>>> {
  private final List<String> labels;
  private final List<String> selected;
  private final String split;
  private final String task;

  private SelectLogits(List<String> labels, List<String> selected, String split, String task) {
    this.labels = labels;
    this.selected = selected;
    this.split = split;
    this.task = task;
  }

  /** The {@code selected} labels' logits of the disease head, split {@code test}. */
  public static SelectLogits of(List<String> labels, List<String> selected) {
    checkArgument(labels != null && !labels.isEmpty(), "SelectLogits: labels must not be empty");
    checkArgument(selected != null && !selected.isEmpty(), "SelectLogits: selected must not be empty");
    for (String s : selected) {
      checkArgument(labels.contains(s), "SelectLogits: selected label '" + s + "' is not one of the labels " + labels);
    }
    return new SelectLogits(List.copyOf(labels), List.copyOf(selected), "test", "disease");
  }

  public SelectLogits withSplit(String value) {
    checkArgument(value != null, "SelectLogits: split can not be null");
    return new SelectLogits(labels, selected, value, task);
  }

  public SelectLogits withTask(String value) {
    checkArgument(value != null, "SelectLogits: task can not be null");
    return new SelectLogits(labels, selected, split, value);
  }

  @Override
  public PCollection<KV<String, double[]>> expand(PCollection<Prediction> input) {
    int[] indexes = selected.stream().mapToInt(labels::indexOf).toArray();
    return input.apply("Select", ParDo.of(new SelectFn(indexes, labels, split, task)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), DoubleArrayCoder.of()));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("selected", String.join(",", selected)))
        .add(DisplayData.item("split", split)).add(DisplayData.item("task", task));
  }

  private static final class SelectFn extends DoFn<Prediction, KV<String, double[]>> {
    private final int[] indexes;
    private final List<String> labels;
    private final String split;
    private final String task;

    SelectFn(int[] indexes, List<String> labels, String split, String task) {
      this.indexes = indexes;
      this.labels = labels;
      this.split = split;
      this.task = task;
    }

    @ProcessElement
    public void process(@Element Prediction x, OutputReceiver<KV<String, double[]>> out) {
      if (!split.equals(x.getSplit()) || !task.equals(x.getTask())) {
        return;
      }
      if (x.getLogits().size() != labels.size()) {
        // a head of another size would map the names to the wrong outputs
        throw new IllegalArgumentException("prediction " + x.getId() + " has " + x.getLogits().size() + " " + task
            + " logits, but the configuration names " + labels.size() + " labels " + labels);
      }
      double[] v = new double[indexes.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = x.getLogits().get(indexes[i]);
      }
      out.output(KV.of(x.getId(), v));
    }
  }

  private static void checkArgument(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
