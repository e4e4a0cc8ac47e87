package org.chexaudit.pipelines;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.transforms.metrics.ScoredRowColumns;

/**
 * Reads a small predictions table (a validation file whose thresholds are chosen on the client, or
 * CheXclusion's per-run files) into {@link ScoredRow}s, with attributes from the table or from a
 * groups file joined by id. Columns are resolved and rows parsed by {@link ScoredRowColumns}, as the
 * pipelines' {@code ReadScoredRows} does on the workers, so both fail alike on the first bad value
 * with the file, line and column; in addition an id listed twice, or missing from the groups file, is
 * refused here.
 */
final class ScoredRowLoader {
  private final ScoredRowColumns columns;

  ScoredRowLoader(List<String> scoreColumns, List<String> targetColumns, List<String> attributes,
      String idColumn, String patientColumn) {
    this.columns = ScoredRowColumns.of(scoreColumns, targetColumns, attributes, idColumn, patientColumn);
  }

  /** Rows of {@code predictions}; attributes come from {@code groupsFile} when it is not null (any Beam paths). */
  List<ScoredRow> load(String predictions, String groupsFile) {
    Map<String, String[]> groups = groupsFile == null ? null : readGroups(groupsFile);
    List<ScoredRow> rows = new ArrayList<>();
    Map<String, Long> firstLine = new HashMap<>();
    ScoredRowColumns.Bound[] bound = new ScoredRowColumns.Bound[1];
    PredictionTable.read(predictions, header -> bound[0] = columns.bind(predictions, header, groups == null),
        row -> {
          ScoredRowColumns.Fields v = fields(row.values());
          String id = bound[0].id(v, row.line());
          ScoredRow r = bound[0].row(v, id, () -> predictions + " line " + row.line());
          if (groups != null) {
            String[] attrs = groups.get(id);
            if (attrs == null) {
              throw new IllegalArgumentException(predictions + " line " + row.line() + ": id '" + id
                  + "' not found in the groups file");
            }
            r = r.withAttributes(attrs);
          }
          // A repeated id would be counted twice in every metric: refuse it.
          Long before = firstLine.putIfAbsent(id, row.line());
          if (before != null) {
            throw new IllegalArgumentException(predictions + " line " + row.line() + ": id '" + id
                + "' already on line " + before);
          }
          rows.add(r);
        });
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(predictions + ": no rows");
    }
    return rows;
  }

  private Map<String, String[]> readGroups(String file) {
    Map<String, String[]> out = new HashMap<>();
    int[][] idx = new int[1][];
    PredictionTable.read(file, header -> idx[0] = columns.bindGroups(file, header), row -> {
      ScoredRowColumns.Fields v = fields(row.values());
      String[] attrs = new String[idx[0].length - 1];
      for (int a = 0; a < attrs.length; a++) {
        attrs[a] = v.text(idx[0][a + 1]);
      }
      if (out.put(v.text(idx[0][0]), attrs) != null) {
        throw new IllegalArgumentException(file + " line " + row.line() + ": duplicate id '" + v.text(idx[0][0]) + "'");
      }
    });
    return out;
  }

  private static ScoredRowColumns.Fields fields(List<String> values) {
    return i -> i < values.size() ? values.get(i) : "";
  }
}
