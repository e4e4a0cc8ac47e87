package org.chexaudit.core.chexclusion;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.DeadLetter;
import org.chexaudit.core.cohort.DeadLetters;
import org.chexaudit.core.stats.AgeBins;

/**
 * CheXpert as CheXclusion uses it (spec B2, B8): {@code train.csv} and {@code valid.csv} concatenated
 * (the original's {@code map.csv}), frontal and lateral images, patient = the numeric subject id
 * ({@code patient00001} -> {@code 1}), sex M/F (Unknown missing), age binned 0-20 ... 80-, no race.
 */
public final class ChexpertAdapter {
  static final String STAGE = "ChexpertAdapter";
  private final DatasetConfig config;

  private ChexpertAdapter(DatasetConfig config) {
    this.config = config;
  }

  public static ChexpertAdapter create() {
    return new ChexpertAdapter(DatasetConfig.load());
  }

  /** Reads the given CSVs in order (train.csv, then valid.csv); row_index runs over all of them. */
  public AdapterResult read(List<Path> csvs) {
    List<String> labels = config.labels("cxp");
    RecordBuilder builder = new RecordBuilder(labels);
    Map<String, String> sexes = config.pairs("sex.values");
    AgeBins bins = AgeBins.chexclusion();
    List<String> required = new ArrayList<>(List.of("Path", "Sex", "Age", "Frontal/Lateral"));
    required.addAll(labels);
    List<CohortRecord> records = new ArrayList<>();
    List<DeadLetter> dead = new ArrayList<>();
    long[] row = {0};
    for (Path csv : csvs) {
      CsvTable.read(csv, required, r -> {
        try {
          records.add(toRecord(r, row[0], builder, sexes, bins));
        } catch (RecordBuilder.BadRow e) {
          dead.add(DeadLetters.of(STAGE, csv.toString(), r.line(), r.raw(), e.getMessage()));
        }
        row[0]++;
      });
    }
    return new AdapterResult(records, dead);
  }

  private static CohortRecord toRecord(CsvTable.Row r, long row, RecordBuilder builder, Map<String, String> sexes,
      AgeBins bins) {
    String path = r.get("Path");
    String[] parts = path.split("/");
    int p = -1;
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].matches("patient\\d+")) {
        p = i;
      }
    }
    if (p < 0 || p + 2 >= parts.length) {
      throw new RecordBuilder.BadRow("column 'Path': '" + path + "' has no patientNNNNN/studyN/view segments");
    }
    String subject = Long.toString(Long.parseLong(parts[p].substring("patient".length())));
    String view = parts[p + 2].replaceFirst("\\.[^.]*$", "");
    String id = parts[p] + "_" + parts[p + 1] + "_" + view;
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("source", "CXP");
    String sex = sexes.get(r.get("Sex"));
    if (sex != null) {
      attrs.put("sex", sex);
    }
    Integer age = parseAge(r.get("Age"));
    if (age != null) {
      attrs.put("age", bins.label(age));
    }
    String fl = r.get("Frontal/Lateral");
    if (!fl.isEmpty()) {
      attrs.put("view", fl);
    }
    List<Float> values = new ArrayList<>();
    for (String l : builder.labels()) {
      values.add(RecordBuilder.label(r, l));
    }
    CohortRecord rec = builder.build(id, row, subject, path, sex, age, values, attrs);
    rec.setFrontalLateral(fl.isEmpty() ? null : fl);
    return rec;
  }

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
