package org.chexaudit.core.chexclusion;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.chexaudit.core.io.CsvFile;
import org.chexaudit.core.io.CsvSource;
import org.chexaudit.core.cohort.DeadLetters;
import org.chexaudit.core.stats.AgeBins;

/**
 * ChestX-ray14 as CheXclusion uses it (spec B2, B3): {@code Data_Entry_2017.csv} with
 * {@code Image Index}, {@code Finding Labels} ({@code |}-separated, or "No Finding"), {@code Patient ID},
 * {@code Patient Age}, {@code Patient Gender}. A label is 1 when listed, else 0 (no uncertain labels).
 * The label list may include "No Finding" (the union's labels). Path: {@code images/<Image Index>}.
 */
public final class NihAdapter {
  static final String STAGE = "NihAdapter";
  static final List<String> COLUMNS = List.of("Image Index", "Finding Labels", "Patient ID", "Patient Age", "Patient Gender");
  private final List<String> labels;
  private final Map<String, String> sexes;

  private NihAdapter(List<String> labels, Map<String, String> sexes) {
    this.labels = List.copyOf(labels);
    this.sexes = sexes;
  }

  /** The 14 NIH labels. */
  public static NihAdapter create() {
    DatasetConfig c = DatasetConfig.load();
    return new NihAdapter(c.labels("nih"), c.pairs("sex.values"));
  }

  /** Other labels, e.g. NIH's 14 plus "No Finding" for the union. */
  public NihAdapter withLabels(List<String> labels) {
    return new NihAdapter(labels, sexes);
  }

  public List<String> labels() {
    return labels;
  }

  public AdapterResult read(Path dataEntryCsv) {
    return AdapterResult.collect(sink -> read(CsvSource.of(dataEntryCsv), sink));
  }

  /** Fails, naming the file, when it is missing or lacks a column; reads only the header. */
  public void check(CsvSource dataEntryCsv) {
    CsvFile.checkHeader(dataEntryCsv, COLUMNS);
  }

  /** Streams {@code Data_Entry_2017.csv} into {@code sink}. */
  public void read(CsvSource dataEntryCsv, AdapterSink sink) {
    RecordBuilder builder = new RecordBuilder(labels);
    AgeBins bins = AgeBins.chexclusion();
    long[] row = {0};
    CsvFile.forEach(dataEntryCsv, COLUMNS, r -> {
      long index = row[0]++;
      try {
        Set<String> findings = Arrays.stream(r.get("Finding Labels").split("\\|")).map(String::trim)
            .filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        if (findings.isEmpty()) {
          throw new RecordBuilder.BadRow("column 'Finding Labels' is empty");
        }
        List<Float> values = new ArrayList<>();
        for (String l : labels) {
          values.add(findings.contains(l) ? 1f : 0f);
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("source", "NIH");
        String sex = sexes.get(r.get("Patient Gender"));
        if (sex != null) {
          attrs.put("sex", sex);
        }
        Integer age = parseAge(r.get("Patient Age"));
        if (age != null) {
          attrs.put("age", bins.label(age));
        }
        String image = r.get("Image Index");
        sink.record(builder.build(image.replaceFirst("\\.[^.]*$", ""), index, r.get("Patient ID"), "images/" + image,
            sex, age, values, attrs));
      } catch (RecordBuilder.BadRow e) {
        sink.dead(DeadLetters.of(STAGE, dataEntryCsv.toString(), r.line(), r.raw(), e.getMessage()));
      }
    });
  }

  /** NIH's {@code Patient Age}, floored; not range-checked (unlike a CheXpert age, see ChexpertRowParser). */
  static Integer parseAge(String s) {
    if (s.isEmpty()) {
      return null;
    }
    try {
      return (int) Math.floor(Double.parseDouble(s));
    } catch (NumberFormatException e) {
      throw new RecordBuilder.BadRow("age '" + s + "' is not a number");
    }
  }
}
