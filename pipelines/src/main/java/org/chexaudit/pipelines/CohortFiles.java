package org.chexaudit.pipelines;

import org.chexaudit.pipelines.stage.StageOutput;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.core.cohort.CohortSpec;
import org.chexaudit.core.cohort.NotebookCsv;
import org.chexaudit.core.io.CsvWriter;

/**
 * Writes the people-facing files of the cohort stage: the notebook-compatible CSVs (full sample, one per
 * split, subset files) and {@code summary.json}. Rows are in the notebook's order: by the patient's row in
 * the demographics sheet, then by row in the images CSV.
 */
final class CohortFiles {
  /** Subset file spec: attribute=value, e.g. race=White. */
  record Subset(String attribute, String value) implements java.io.Serializable {
    static Subset parse(String s) {
      String[] kv = s.split("=", 2);
      if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
        throw new IllegalArgumentException("--subsets entry '" + s + "' is not of the form attribute=value");
      }
      return new Subset(kv[0].trim(), kv[1].trim());
    }

    boolean matches(CohortRecord r) {
      String v = switch (attribute) {
        case "race" -> r.getRace();
        case "sex" -> r.getSex();
        case "disease" -> r.getDisease();
        default -> r.getAttributes().get(attribute);
      };
      return value.equals(v);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** File-name part of each split, as the notebook names them. */
  private static final Map<String, String> SPLIT_FILE_NAMES = Map.of("validate", "val");
  /** Subset files are written for these splits only, as in the notebook. */
  private static final List<String> SUBSET_SPLITS = List.of("train", "validate");

  private CohortFiles() {}

  /** The file-name part of a split, as the notebook names it (validate -> val). */
  static String splitFileName(String split) {
    return SPLIT_FILE_NAMES.getOrDefault(split, split);
  }

  /** The spec a finished cohort output was made with: its manifest's cohortConfig, else CheXpert's. */
  static CohortSpec specOf(Path cohortOutput) {
    Map<String, Object> manifest = StageOutput.readManifest(cohortOutput);
    Object config = null;
    if (manifest != null && manifest.get("options") instanceof Map<?, ?> options) {
      config = options.get("cohortConfig");
    }
    return config == null ? CohortSpec.chexpert() : CohortSpec.fromFile(Path.of(config.toString()));
  }

  static List<CohortRecord> notebookOrder(Iterable<CohortRecord> records) {
    List<CohortRecord> list = new ArrayList<>();
    records.forEach(list::add);
    list.sort(
        Comparator.comparing((CohortRecord r) -> r.getDemoRow() == null ? Long.MAX_VALUE : r.getDemoRow())
            .thenComparingLong(CohortRecord::getRowIndex));
    return list;
  }

  static void writeCsvs(
      Path dir, String prefix, CohortSpec spec, List<CohortRecord> ordered, List<Subset> subsets)
      throws IOException {
    List<String> header = NotebookCsv.header(spec);
    Map<String, Long> position = new LinkedHashMap<>();
    for (int i = 0; i < ordered.size(); i++) {
      position.put(ordered.get(i).getId(), (long) i);
    }
    Function<CohortRecord, Long> pos = r -> position.get(r.getId());
    write(dir.resolve(prefix + ".csv"), header, ordered, r -> true, pos);
    List<String> splits = ordered.stream().map(CohortRecord::getSplit).filter(s -> s != null).distinct().sorted().toList();
    for (String split : splits) {
      String name = SPLIT_FILE_NAMES.getOrDefault(split, split);
      write(dir.resolve(prefix + "." + name + ".csv"), header, ordered, r -> split.equals(r.getSplit()), pos);
      if (SUBSET_SPLITS.contains(split)) {
        for (Subset s : subsets) {
          Path file = dir.resolve(prefix + "." + name + "." + s.value().toLowerCase().replace(' ', '_') + ".csv");
          write(file, header, ordered, r -> split.equals(r.getSplit()) && s.matches(r), pos);
        }
      }
    }
  }

  private static void write(
      Path file, List<String> header, List<CohortRecord> rows, Predicate<CohortRecord> keep,
      Function<CohortRecord, Long> position) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        CsvWriter csv = new CsvWriter(w)) {
      csv.writeRow(header);
      for (CohortRecord r : rows) {
        if (keep.test(r)) {
          csv.writeRow(NotebookCsv.row(r, position.apply(r)));
        }
      }
    }
  }

  /**
   * Builds the summary: image rows read, what each rule filtered (in rule order), dead letters by stage,
   * what was kept, and counts by race, sex and split. {@code reconciles} checks
   * {@code rows = kept + filtered + dead letters of the images CSV}.
   */
  static Map<String, Object> summary(
      long rowsParsed, List<String> ruleOrder, Map<String, Long> filtered, Map<String, Long> deadByStage,
      String imageStage, List<CohortRecord> kept) {
    long imageDead = deadByStage.getOrDefault(imageStage, 0L);
    long rows = rowsParsed + imageDead;
    Map<String, Long> filteredInOrder = new LinkedHashMap<>();
    for (String rule : ruleOrder) {
      filteredInOrder.put(rule, filtered.getOrDefault(rule, 0L));
    }
    filtered.forEach(filteredInOrder::putIfAbsent);
    long filteredTotal = filteredInOrder.values().stream().mapToLong(Long::longValue).sum();

    Map<String, Object> s = new LinkedHashMap<>();
    s.put("image_rows", rows);
    s.put("filtered", filteredInOrder);
    s.put("dead_letters", new TreeMap<>(deadByStage));
    s.put("kept", (long) kept.size());
    s.put("reconciles", rows == kept.size() + filteredTotal + imageDead);
    s.put("patients", kept.stream().map(CohortRecord::getPatientId).distinct().count());
    s.put("by_race", countBy(kept, CohortRecord::getRace));
    s.put("by_sex", countBy(kept, CohortRecord::getSex));
    s.put("by_split", countBy(kept, CohortRecord::getSplit));
    s.put("patients_by_split", patientsBy(kept));
    Map<String, Object> bySplit = new TreeMap<>();
    for (String split : countBy(kept, CohortRecord::getSplit).keySet()) {
      List<CohortRecord> in = kept.stream().filter(r -> split.equals(String.valueOf(r.getSplit()))).toList();
      // a LinkedHashMap, not Map.of: Map.of iterates in an order that changes from one JVM to the next
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("by_race", countBy(in, CohortRecord::getRace));
      detail.put("by_sex", countBy(in, CohortRecord::getSex));
      detail.put("by_disease", countBy(in, CohortRecord::getDisease));
      bySplit.put(split, detail);
    }
    s.put("split_detail", bySplit);
    return s;
  }

  static void writeJson(Path file, Object value) throws IOException {
    JSON.writeValue(file.toFile(), value);
  }

  private static Map<String, Long> countBy(List<CohortRecord> rows, Function<CohortRecord, Object> key) {
    Map<String, Long> m = new TreeMap<>();
    for (CohortRecord r : rows) {
      m.merge(String.valueOf(key.apply(r)), 1L, Long::sum);
    }
    return m;
  }

  private static Map<String, Long> patientsBy(List<CohortRecord> rows) {
    Map<String, java.util.Set<String>> m = new TreeMap<>();
    for (CohortRecord r : rows) {
      m.computeIfAbsent(String.valueOf(r.getSplit()), k -> new java.util.HashSet<>()).add(r.getPatientId());
    }
    Map<String, Long> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, (long) v.size()));
    return out;
  }
}
