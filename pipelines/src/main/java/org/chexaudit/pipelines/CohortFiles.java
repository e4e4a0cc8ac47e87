package org.chexaudit.pipelines;

import org.chexaudit.pipelines.stage.StageOutput;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.core.cohort.CohortSpec;
import org.chexaudit.core.cohort.NotebookCsv;
import org.chexaudit.core.io.CsvWriter;
import org.chexaudit.transforms.io.Resources;

/**
 * The people-facing files of the cohort stage: the names of the notebook-compatible CSVs (full sample, one
 * per split, subset files), their concatenation from the parts {@link CohortParts} writes, and
 * {@code summary.json} from {@link CohortCounts}. Rows are in the notebook's order: by the patient's row in
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

  /** The spec a finished cohort output (any Beam path) was made with: its manifest's cohortConfig, else CheXpert's. */
  static CohortSpec specOf(String cohortOutput) {
    Map<String, Object> manifest = StageOutput.readManifest(cohortOutput);
    Object config = null;
    if (manifest != null && manifest.get("options") instanceof Map<?, ?> options) {
      config = options.get("cohortConfig");
    }
    return config == null ? CohortSpec.chexpert() : loadSpec(config.toString());
  }

  /** A cohort configuration file on any Beam file system, with the files it names beside it. */
  static CohortSpec loadSpec(String path) {
    ResourceId file = Resources.file(path);
    ResourceId dir = file.getCurrentDirectory();
    try (InputStream in = Resources.open(file)) {
      return CohortSpec.from(in, name -> {
        try {
          return Resources.open(Resources.file(dir, name));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + Resources.file(dir, name), e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cohort configuration " + path, e);
    }
  }

  /** The notebook's row order: by the patient's row in the demographics sheet, then by row in the images CSV. */
  static final Comparator<CohortRecord> NOTEBOOK_ORDER =
      Comparator.comparing((CohortRecord r) -> r.getDemoRow() == null ? Long.MAX_VALUE : r.getDemoRow())
          .thenComparingLong(CohortRecord::getRowIndex);

  static List<CohortRecord> notebookOrder(Iterable<CohortRecord> records) {
    List<CohortRecord> list = new ArrayList<>();
    records.forEach(list::add);
    list.sort(NOTEBOOK_ORDER);
    return list;
  }

  /** {@code chexpert.sample.csv}: the full sample. */
  static String sampleFile(String prefix) {
    return prefix + ".csv";
  }

  /** {@code chexpert.sample.val.csv}: one split. */
  static String splitFile(String prefix, String split) {
    return prefix + "." + splitFileName(split) + ".csv";
  }

  /** {@code chexpert.sample.train.white.csv}: one subset of one split. */
  static String subsetFile(String prefix, String split, Subset s) {
    return prefix + "." + splitFileName(split) + "." + s.value().toLowerCase().replace(' ', '_') + ".csv";
  }

  /** Whether a split has subset files (train and validate, as in the notebook). */
  static boolean hasSubsetFiles(String split) {
    return SUBSET_SPLITS.contains(split);
  }

  /**
   * The notebook files a cohort with these splits has: the full sample, one per split (sorted), and the
   * subset files of train and validate, written even when a subset is empty.
   */
  static List<String> notebookFiles(String prefix, java.util.Collection<String> splits, List<Subset> subsets) {
    java.util.Set<String> files = new java.util.LinkedHashSet<>();
    files.add(sampleFile(prefix));
    for (String split : new java.util.TreeSet<>(splits)) {
      files.add(splitFile(prefix, split));
      if (hasSubsetFiles(split)) {
        subsets.forEach(s -> files.add(subsetFile(prefix, split, s)));
      }
    }
    return List.copyOf(files);
  }

  /**
   * Writes each of {@code files} into {@code dir}: the notebook header, then the parts
   * {@link CohortParts} wrote for it under {@code partsDir}, in name order, streamed through
   * {@link Resources} (no row is held in memory).
   */
  static void concatenate(ResourceId dir, ResourceId partsDir, CohortSpec spec, List<String> files) {
    concatenate(dir, partsDir, NotebookCsv.header(spec), files);
  }

  /** Writes each of {@code files} into {@code dir}: {@code columns} as the header, then its parts in name order. */
  static void concatenate(ResourceId dir, ResourceId partsDir, List<String> columns, List<String> files) {
    StringWriter header = new StringWriter();
    try (CsvWriter csv = new CsvWriter(header)) {
      csv.writeRow(columns);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] head = header.toString().getBytes(StandardCharsets.UTF_8);
    for (String name : files) {
      ResourceId target = Resources.file(dir, name);
      try (OutputStream out = Resources.create(target)) {
        out.write(head);
        for (MatchResult.Metadata part : Resources.list(Resources.dir(partsDir, name), "*.csv")) {
          try (InputStream in = Resources.open(part.resourceId())) {
            in.transferTo(out);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + target, e);
      }
    }
  }

  /**
   * Builds the summary: image rows read, what each rule filtered (in rule order), dead letters by stage,
   * what was kept, and counts by race, sex and split. {@code reconciles} checks
   * {@code rows = kept + filtered + dead letters of the images CSV}.
   */
  static Map<String, Object> summary(CohortCounts counts, List<String> ruleOrder, String imageStage) {
    Map<String, Long> deadByStage = counts.under(CohortCounts.DEAD);
    Map<String, Long> filtered = counts.under(CohortCounts.FILTERED);
    long imageDead = deadByStage.getOrDefault(imageStage, 0L);
    long rows = counts.get(CohortCounts.PARSED) + imageDead;
    long kept = counts.get(CohortCounts.KEPT);
    Map<String, Long> filteredInOrder = new LinkedHashMap<>();
    for (String rule : ruleOrder) {
      filteredInOrder.put(rule, filtered.getOrDefault(rule, 0L));
    }
    filtered.forEach(filteredInOrder::putIfAbsent);
    long filteredTotal = filteredInOrder.values().stream().mapToLong(Long::longValue).sum();

    Map<String, Object> s = new LinkedHashMap<>();
    s.put("image_rows", rows);
    s.put("filtered", filteredInOrder);
    s.put("dead_letters", deadByStage);
    s.put("kept", kept);
    s.put("reconciles", rows == kept + filteredTotal + imageDead);
    s.put("patients", counts.get(CohortCounts.PATIENTS));
    s.put("by_race", counts.under("by_race"));
    s.put("by_sex", counts.under("by_sex"));
    s.put("by_split", counts.under("by_split"));
    s.put("patients_by_split", counts.under("patients_by_split"));
    Map<String, Object> bySplit = new TreeMap<>();
    for (String split : counts.under("by_split").keySet()) {
      // a LinkedHashMap, not Map.of: Map.of iterates in an order that changes from one JVM to the next
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("by_race", counts.under("split_detail", split, "by_race"));
      detail.put("by_sex", counts.under("split_detail", split, "by_sex"));
      detail.put("by_disease", counts.under("split_detail", split, "by_disease"));
      bySplit.put(split, detail);
    }
    s.put("split_detail", bySplit);
    return s;
  }

  static void writeJson(ResourceId file, Object value) {
    try {
      Resources.writeString(file, JSON.writeValueAsString(value));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
