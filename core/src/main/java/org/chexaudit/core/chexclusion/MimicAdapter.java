package org.chexaudit.core.chexclusion;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.chexaudit.core.io.CsvFile;
import org.chexaudit.core.io.CsvSource;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.core.cohort.ChexpertRowParser;
import org.chexaudit.core.cohort.DeadLetters;
import org.chexaudit.core.cohort.ImageRowParser;

/**
 * MIMIC-CXR as CheXclusion uses it (spec B2, B3): one image per row of the metadata file
 * ({@code subject_id, dicom_id, study_id, gender, age_decile, race, insurance}), labels from the
 * CheXpert-labeller CSV ({@code subject_id, study_id}, CheXpert label names, "Lung Opacity" read as
 * "Airspace Opacity"), demographics from the <b>first row per subject</b> as the original merges them.
 * Race and insurance keep MIMIC's strings; {@code UNABLE TO OBTAIN}, {@code UNKNOWN} and blanks are
 * missing (left out, not guessed). Age deciles map to CheXclusion's five bins. Image paths follow
 * MIMIC-CXR-JPG: {@code files/p10/p10000032/s50414267/<dicom_id>.jpg}.
 */
public final class MimicAdapter {
  static final String STAGE = "MimicAdapter";
  static final List<String> METADATA_COLUMNS =
      List.of("subject_id", "dicom_id", "study_id", "gender", "age_decile", "race", "insurance");
  private final DatasetConfig config;

  private MimicAdapter(DatasetConfig config) {
    this.config = config;
  }

  public static MimicAdapter create() {
    return new MimicAdapter(DatasetConfig.load());
  }

  public AdapterResult read(Path labelsCsv, Path metadataCsv) {
    return AdapterResult.collect(sink -> read(CsvSource.of(labelsCsv), CsvSource.of(metadataCsv), sink));
  }

  /** Fails, naming the file, when one is missing or lacks a column; reads only the headers. */
  public void check(CsvSource labelsCsv, CsvSource metadataCsv) {
    CsvFile.checkHeader(labelsCsv, labelsRequired());
    CsvFile.checkHeader(metadataCsv, METADATA_COLUMNS);
  }

  private List<String> labelColumns() {
    Map<String, String> renamed = config.pairs("mimic.labelColumns");
    return config.labels("mimic").stream().map(l -> renamed.getOrDefault(l, l)).toList();
  }

  private List<String> labelsRequired() {
    List<String> required = new ArrayList<>(List.of("subject_id", "study_id"));
    required.addAll(labelColumns());
    return required;
  }

  /**
   * Streams the metadata rows into {@code sink}, each joined with its study's labels; the labels file is held
   * as a map by study while the metadata is read.
   */
  public void read(CsvSource labelsCsv, CsvSource metadataCsv, AdapterSink sink) {
    List<String> labels = config.labels("mimic");
    List<String> columns = labelColumns();
    List<String> required = labelsRequired();
    Map<String, List<Float>> byStudy = new HashMap<>();
    CsvFile.forEach(labelsCsv, required, r -> {
      try {
        List<Float> values = new ArrayList<>();
        for (String c : columns) {
          values.add(ChexpertRowParser.label(r.get(c), c));
        }
        if (byStudy.put(key(r.get("subject_id"), r.get("study_id")), values) != null) {
          throw new RecordBuilder.BadRow("duplicate study " + r.get("study_id") + " of subject " + r.get("subject_id"));
        }
      } catch (ImageRowParser.BadRowException | RecordBuilder.BadRow e) {
        sink.dead(DeadLetters.of(STAGE, labelsCsv.toString(), r.line(), r.raw(), e.getMessage()));
      }
    });

    Map<String, String> deciles = config.pairs("mimic.ageDeciles");
    Map<String, String> sexes = config.pairs("sex.values");
    Set<String> missing = Set.copyOf(config.list("mimic.missing"));
    RecordBuilder builder = new RecordBuilder(labels);
    Map<String, Map<String, String>> firstBySubject = new HashMap<>();
    long[] row = {0};
    CsvFile.forEach(metadataCsv, METADATA_COLUMNS, r -> {
      long index = row[0]++;
      String subject = r.get("subject_id");
      Map<String, String> demo = firstBySubject.computeIfAbsent(subject, s -> demographics(r, deciles, sexes, missing));
      List<Float> values = byStudy.get(key(subject, r.get("study_id")));
      if (values == null) {
        sink.dead(DeadLetters.of(STAGE, metadataCsv.toString(), r.line(), r.raw(),
            "study " + r.get("study_id") + " of subject " + subject + " has no labels in " + labelsCsv));
        return;
      }
      String path = "files/p" + subject.substring(0, Math.min(2, subject.length())) + "/p" + subject + "/s"
          + r.get("study_id") + "/" + r.get("dicom_id") + ".jpg";
      Map<String, String> attrs = new LinkedHashMap<>(demo);
      attrs.put("source", "MIMIC");
      CohortRecord rec = builder.build(r.get("dicom_id"), index, subject, path, demo.get("sex"), null, values, attrs);
      rec.setRace(demo.get("race"));
      sink.record(rec);
    });
  }

  private static Map<String, String> demographics(CsvFile.Row r, Map<String, String> deciles, Map<String, String> sexes,
      Set<String> missing) {
    Map<String, String> d = new LinkedHashMap<>();
    String sex = sexes.get(r.get("gender"));
    if (sex != null) {
      d.put("sex", sex);
    }
    String age = deciles.get(r.get("age_decile"));
    if (age != null) {
      d.put("age", age);
    }
    for (String a : List.of("race", "insurance")) {
      String v = r.get(a);
      if (!missing.contains(v)) {
        d.put(a, v);
      }
    }
    return d;
  }

  private static String key(String subject, String study) {
    return subject + "/" + study;
  }
}
