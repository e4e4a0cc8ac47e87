package org.chexaudit.pipelines;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.chexaudit.core.stats.ScoredRow;

/**
 * Turns a predictions table (plus, optionally, a groups file joined by id) into {@link ScoredRow}s,
 * failing on the first bad value with the file, column and line: missing columns, non-numeric,
 * NaN or infinite scores, targets other than 0/1, an id listed twice, ids missing from the groups file.
 *
 * <p>A target column may be written {@code column=k} for a one-vs-rest target of a multi-class column:
 * 1 where the column equals k, else 0 (e.g. {@code --scoreColumns=class_2 --targetColumns=target=2} for
 * Black vs rest of a race classifier).
 */
final class ScoredRowLoader {
  private final List<String> scoreColumns;
  private final List<String> targetColumns;
  /** Positive class of each target for one-vs-rest ({@code column=k}), or NaN for a 0/1 column. */
  private final double[] positiveClass;
  private final List<String> attributes;
  private final String idColumn;
  private final String patientColumn;

  ScoredRowLoader(List<String> scoreColumns, List<String> targetColumns, List<String> attributes,
      String idColumn, String patientColumn) {
    if (scoreColumns.size() != targetColumns.size()) {
      throw new IllegalArgumentException("--scoreColumns has " + scoreColumns.size() + " columns but --targetColumns has "
          + targetColumns.size() + ": " + scoreColumns + " vs " + targetColumns);
    }
    this.scoreColumns = scoreColumns;
    this.targetColumns = new ArrayList<>();
    this.positiveClass = new double[targetColumns.size()];
    for (int l = 0; l < targetColumns.size(); l++) {
      String spec = targetColumns.get(l);
      int eq = spec.lastIndexOf('=');
      if (eq > 0) {
        this.targetColumns.add(spec.substring(0, eq));
        try {
          positiveClass[l] = Double.parseDouble(spec.substring(eq + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--targetColumns entry '" + spec + "': the class after '=' must be a number");
        }
      } else {
        this.targetColumns.add(spec);
        positiveClass[l] = Double.NaN;
      }
    }
    this.attributes = attributes;
    this.idColumn = idColumn;
    this.patientColumn = patientColumn;
  }

  /** Rows of {@code predictions}; attributes come from {@code groupsFile} when it is not null (any Beam paths). */
  List<ScoredRow> load(String predictions, String groupsFile) {
    Map<String, String[]> groups = groupsFile == null ? null : readGroups(groupsFile);
    List<ScoredRow> rows = new ArrayList<>();
    Map<String, Long> firstLine = new HashMap<>();
    int[][] idx = new int[1][];
    PredictionTable.read(predictions, header -> idx[0] = indices(predictions, header, groups == null),
        row -> {
          ScoredRow r = toRow(predictions, row, idx[0], groups);
          // A repeated id would be counted twice in every metric: refuse it.
          Long before = firstLine.putIfAbsent(r.id(), (long) row.line());
          if (before != null) {
            throw new IllegalArgumentException(predictions + " line " + row.line() + ": id '" + r.id()
                + "' already on line " + before);
          }
          rows.add(r);
        });
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(predictions + ": no rows");
    }
    return rows;
  }

  private int[] indices(String file, List<String> header, boolean attributesHere) {
    int k = scoreColumns.size();
    int[] idx = new int[2 * k + 2 + attributes.size()];
    for (int l = 0; l < k; l++) {
      idx[l] = column(file, header, scoreColumns.get(l), "--scoreColumns");
      idx[k + l] = column(file, header, targetColumns.get(l), "--targetColumns");
    }
    idx[2 * k] = header.indexOf(idColumn);
    if (idx[2 * k] < 0 && !attributesHere) {
      column(file, header, idColumn, "--idColumn");
    }
    idx[2 * k + 1] = patientColumn == null ? -1 : column(file, header, patientColumn, "--patientColumn");
    for (int a = 0; a < attributes.size(); a++) {
      idx[2 * k + 2 + a] = attributesHere ? column(file, header, attributes.get(a), "--groupColumns") : -1;
    }
    return idx;
  }

  private static int column(String file, List<String> header, String name, String option) {
    int i = header.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException(file + ": column '" + name + "' (" + option + ") not found; columns are " + header);
    }
    return i;
  }

  private ScoredRow toRow(String file, PredictionTable.Row row, int[] idx, Map<String, String[]> groups) {
    int k = scoreColumns.size();
    List<String> v = row.values();
    double[] scores = new double[k];
    int[] targets = new int[k];
    for (int l = 0; l < k; l++) {
      scores[l] = number(file, row, v, idx[l], scoreColumns.get(l));
      double t = number(file, row, v, idx[k + l], targetColumns.get(l));
      if (!Double.isNaN(positiveClass[l])) {
        t = t == positiveClass[l] ? 1 : 0;
      }
      if (t != 0 && t != 1) {
        throw new IllegalArgumentException(file + " line " + row.line() + ", column '" + targetColumns.get(l)
            + "': target '" + field(v, idx[k + l]) + "' is not 0 or 1");
      }
      targets[l] = (int) t;
    }
    String id = idx[2 * k] >= 0 ? field(v, idx[2 * k]) : "row" + row.line();
    String patient = idx[2 * k + 1] >= 0 ? field(v, idx[2 * k + 1]) : null;
    String[] attrs;
    if (groups != null) {
      attrs = groups.get(id);
      if (attrs == null) {
        throw new IllegalArgumentException(file + " line " + row.line() + ": id '" + id + "' not found in the groups file");
      }
    } else {
      attrs = new String[attributes.size()];
      for (int a = 0; a < attrs.length; a++) {
        attrs[a] = field(v, idx[2 * k + 2 + a]);
      }
    }
    return ScoredRow.of(id, patient, scores, targets, attrs);
  }

  private static double number(String file, PredictionTable.Row row, List<String> v, int i, String column) {
    String s = field(v, i);
    double d;
    try {
      d = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(file + " line " + row.line() + ", column '" + column + "': '" + s + "' is not a number");
    }
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException(file + " line " + row.line() + ", column '" + column + "': value is " + s);
    }
    return d;
  }

  private static String field(List<String> v, int i) {
    return i < v.size() ? v.get(i) : "";
  }

  private Map<String, String[]> readGroups(String file) {
    Map<String, String[]> out = new HashMap<>();
    int[][] idx = new int[1][];
    PredictionTable.read(file, header -> {
      int[] i = new int[attributes.size() + 1];
      i[0] = column(file, header, idColumn, "--idColumn");
      for (int a = 0; a < attributes.size(); a++) {
        i[a + 1] = column(file, header, attributes.get(a), "--groupColumns");
      }
      idx[0] = i;
    }, row -> {
      String[] attrs = new String[attributes.size()];
      for (int a = 0; a < attrs.length; a++) {
        attrs[a] = field(row.values(), idx[0][a + 1]);
      }
      if (out.put(field(row.values(), idx[0][0]), attrs) != null) {
        throw new IllegalArgumentException(file + " line " + row.line() + ": duplicate id '" + field(row.values(), idx[0][0]) + "'");
      }
    });
    return out;
  }
}
