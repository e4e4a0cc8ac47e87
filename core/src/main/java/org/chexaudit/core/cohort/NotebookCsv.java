package org.chexaudit.core.cohort;

import java.util.ArrayList;
import java.util.List;
import org.chexaudit.schemas.CohortRecord;

/**
 * The column layout of chexploration's {@code chexpert.sample*.csv} files (seeds-spec A2), plus an
 * explicit {@code id} column so predictions never need to be aligned by row position.
 *
 * <p>The unnamed first column and {@code Unnamed: 0} hold the row's position in the full sample (as
 * after the notebook's index round-trip); {@code Unnamed: 0.1} holds the split file's first column.
 * Labels are written as pandas writes floats ({@code 1.0}, {@code -1.0}, blank for NaN).
 */
public final class NotebookCsv {
  private NotebookCsv() {}

  public static List<String> header(CohortSpec spec) {
    List<String> h = new ArrayList<>(List.of(
        "", "Unnamed: 0", "patient_id", "race", "ethnicity", spec.pathColumn, "sex", "age",
        spec.viewColumn, spec.projectionColumn));
    h.addAll(spec.labels);
    h.addAll(List.of(
        "Unnamed: 0.1", "split", "race_label", "sex_label", "disease", "disease_label", "path_preproc", "id"));
    return h;
  }

  /** One row; {@code position} is the record's 0-based row in the full sample file. */
  public static List<String> row(CohortRecord r, long position) {
    List<String> f = new ArrayList<>(List.of(
        Long.toString(position), Long.toString(position), r.getPatientId(), str(r.getRace()),
        str(r.getEthnicity()), r.getPath(), str(r.getSex()), str(r.getAge()),
        str(r.getFrontalLateral()), str(r.getApPa())));
    for (Float v : r.getLabels()) {
      f.add(v == null ? "" : Float.toString(v));
    }
    f.addAll(List.of(
        str(r.getSplitFileRow()), str(r.getSplit()), str(r.getRaceLabel()), str(r.getSexLabel()),
        r.getDisease(), Integer.toString(r.getDiseaseLabel()), r.getPathPreproc(), r.getId()));
    return f;
  }

  private static String str(Object o) {
    return o == null ? "" : o.toString();
  }
}
