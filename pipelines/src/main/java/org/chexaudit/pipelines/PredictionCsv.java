package org.chexaudit.pipelines;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.chexaudit.models.Head;
import org.chexaudit.models.ModelSpec;
import org.chexaudit.models.Task;
import org.chexaudit.schemas.Embedding;
import org.chexaudit.schemas.Prediction;
import org.chexaudit.core.io.CsvWriter;

/**
 * The original's prediction and embedding CSVs (seeds-spec A5 "Inference and output files") with an
 * {@code id} column first, rows sorted by id: disease {@code class_i, logit_i, target_i}; sex/race
 * {@code class_i, target} ({@code class_i, logit_i, target} in the multitask files); embeddings
 * {@code 0..D-1, target_0..} (+ {@code target_sex, target_race} for multitask). Rows are made here one at a
 * time; {@link SortedCsvShards} sorts and writes them.
 */
final class PredictionCsv {
  /** File-name part of each split, as the original names them. */
  private static final Map<String, String> SPLIT_FILE_NAMES = Map.of("validate", "val");

  private PredictionCsv() {}

  static String splitName(String split) {
    return SPLIT_FILE_NAMES.getOrDefault(split, split);
  }

  static String predictionsFile(String split, Task task, Head head) {
    return "predictions." + splitName(split) + (task == Task.MULTITASK ? "." + head.key() : "") + ".csv";
  }

  static String embeddingsFile(String split) {
    return "embeddings." + splitName(split) + ".csv";
  }

  static List<String> predictionHeader(ModelSpec spec, Head head) {
    List<String> h = new ArrayList<>(List.of("id"));
    int classes = spec.classes(head);
    columns(h, "class_", classes);
    if (head == Head.DISEASE || spec.task() == Task.MULTITASK) {
      columns(h, "logit_", classes);
    }
    if (head == Head.DISEASE) {
      columns(h, "target_", classes);
    } else {
      h.add("target");
    }
    return h;
  }

  static List<String> embeddingHeader(ModelSpec spec) {
    List<String> h = new ArrayList<>(List.of("id"));
    columns(h, "", spec.architecture().embeddingSize());
    columns(h, "target_", spec.diseaseClasses());
    if (spec.task() == Task.MULTITASK) {
      h.addAll(List.of("target_sex", "target_race"));
    }
    return h;
  }

  /** One head's prediction as a CSV row (no line end): id, classes, logits, targets. */
  static String predictionRow(ModelSpec spec, Head head, Prediction p) {
    boolean logits = head == Head.DISEASE || spec.task() == Task.MULTITASK;
    List<String> r = new ArrayList<>();
    r.add(p.getId().toString());
    p.getProbabilities().forEach(v -> r.add(Float.toString(v)));
    if (logits) {
      p.getLogits().forEach(v -> r.add(Float.toString(v)));
    }
    if (head == Head.DISEASE) {
      p.getTargets().forEach(v -> r.add(Float.toString(v)));
    } else {
      r.add(p.getTargets().isEmpty() ? "" : Integer.toString(p.getTargets().get(0).intValue()));
    }
    return line(r);
  }

  /** An embedding as a CSV row (no line end): id, values, disease targets (+ sex, race for multitask). */
  static String embeddingRow(ModelSpec spec, Embedding e) {
    List<String> r = new ArrayList<>();
    r.add(e.getId().toString());
    e.getValues().forEach(v -> r.add(Float.toString(v)));
    if (e.getDiseaseTargets().isEmpty()) {
      for (int i = 0; i < spec.diseaseClasses(); i++) {
        r.add("");
      }
    } else {
      e.getDiseaseTargets().forEach(v -> r.add(Float.toString(v)));
    }
    if (spec.task() == Task.MULTITASK) {
      r.add(e.getSexLabel() == null ? "" : e.getSexLabel().toString());
      r.add(e.getRaceLabel() == null ? "" : e.getRaceLabel().toString());
    }
    return line(r);
  }

  /** Fields joined as {@link CsvWriter#writeRow} writes them, without the line end. */
  static String line(List<String> fields) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(CsvWriter.escape(fields.get(i)));
    }
    return b.toString();
  }

  private static void columns(List<String> h, String prefix, int n) {
    for (int i = 0; i < n; i++) {
      h.add(prefix + i);
    }
  }
}
