package org.chexaudit.core.chexclusion;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chexaudit.core.io.CsvFile;
import org.chexaudit.core.io.CsvSource;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.core.cohort.ChexpertRow;
import org.chexaudit.core.cohort.ChexpertRowParser;
import org.chexaudit.core.cohort.CohortSpec;
import org.chexaudit.core.cohort.DeadLetters;
import org.chexaudit.core.cohort.ImageRowParser;
import org.chexaudit.core.stats.AgeBins;

/**
 * CheXpert as CheXclusion uses it (spec B2, B8): {@code train.csv} and {@code valid.csv} concatenated
 * (the original's {@code map.csv}), frontal and lateral images, patient = the numeric subject id
 * ({@code patient00001} -> {@code 1}), sex M/F (Unknown missing), age binned 0-20 ... 80-, no race.
 * Rows are read by {@link ChexpertRowParser}, the same reader as the chexploration cohort's.
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
    return AdapterResult.collect(sink -> read(csvs.stream().map(CsvSource::of).toList(), sink));
  }

  /** Fails, naming the file, when one of {@code csvs} is missing or lacks a column; reads only headers. */
  public void check(List<CsvSource> csvs) {
    csvs.forEach(csv -> CsvFile.checkHeader(csv, required()));
  }

  private List<String> required() {
    CohortSpec columns = CohortSpec.chexpert();
    List<String> required = new ArrayList<>(List.of(columns.pathColumn, columns.sexColumn, columns.ageColumn,
        columns.viewColumn, columns.projectionColumn));
    required.addAll(config.labels("cxp"));
    return required;
  }

  /** Streams the given CSVs in order into {@code sink}; row_index runs over all of them. */
  public void read(List<CsvSource> csvs, AdapterSink sink) {
    List<String> labels = config.labels("cxp");
    RecordBuilder builder = new RecordBuilder(labels);
    Map<String, String> sexes = config.pairs("sex.values");
    AgeBins bins = AgeBins.chexclusion();
    CohortSpec columns = CohortSpec.chexpert();
    List<String> required = required();
    long[] row = {0};
    for (CsvSource csv : csvs) {
      ChexpertRowParser[] parser = {null}; // built from the file's header, at its first row
      CsvFile.forEach(csv, required, r -> {
        if (parser[0] == null) {
          parser[0] = new ChexpertRowParser(columns, labels, r.header());
        }
        try {
          sink.record(toRecord(parser[0].parse(r.fields()), row[0], builder, sexes, bins));
        } catch (ImageRowParser.BadRowException | RecordBuilder.BadRow e) {
          sink.dead(DeadLetters.of(STAGE, csv.toString(), r.line(), r.raw(), e.getMessage()));
        }
        row[0]++;
      });
    }
  }

  private static CohortRecord toRecord(ChexpertRow r, long row, RecordBuilder builder, Map<String, String> sexes,
      AgeBins bins) {
    if (!r.patient().matches("patient\\d+")) {
      throw new RecordBuilder.BadRow("column 'Path': '" + r.path() + "' has no patientNNNNN/studyN/view segments");
    }
    String subject = Long.toString(Long.parseLong(r.patient().substring("patient".length())));
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("source", "CXP");
    String sex = r.sex() == null ? null : sexes.get(r.sex());
    if (sex != null) {
      attrs.put("sex", sex);
    }
    if (r.age() != null) {
      attrs.put("age", bins.label(r.age()));
    }
    if (r.frontalLateral() != null) {
      attrs.put("view", r.frontalLateral());
    }
    CohortRecord rec = builder.build(r.imageId(), row, subject, r.path(), sex, r.age(), r.labels(), attrs);
    rec.setFrontalLateral(r.frontalLateral());
    return rec;
  }
}
