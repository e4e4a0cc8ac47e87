package org.chexaudit.pipelines.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.chexaudit.core.io.CsvReader;
import org.chexaudit.transforms.io.Resources;

/**
 * A small CSV file read whole (a stage's metrics, disparity, calibration or KS table), with cells looked
 * up by column name. {@code name} is the file's path relative to the run folder, which findings cite.
 */
record CsvTable(String name, List<String> header, List<List<String>> rows) {
  CsvTable {
    header = List.copyOf(header);
    rows = List.copyOf(rows);
  }

  /** Reads {@code csv}, any Beam path, through {@link Resources}. */
  static CsvTable read(String name, ResourceId csv) throws IOException {
    try (BufferedReader r = Resources.reader(csv)) {
      return parse(name, r);
    }
  }

  /** For tests: a table from CSV text. */
  static CsvTable of(String name, String text) {
    try {
      return parse(name, new BufferedReader(new StringReader(text)));
    } catch (IOException e) {
      throw new IllegalArgumentException("CsvTable " + name + ": " + e.getMessage(), e);
    }
  }

  private static CsvTable parse(String name, BufferedReader r) throws IOException {
    List<List<String>> all = new ArrayList<>();
    try (CsvReader in = new CsvReader(r)) {
      CsvReader.Record rec;
      while ((rec = in.next()) != null) {
        all.add(rec.fields());
      }
    }
    if (all.isEmpty()) {
      return new CsvTable(name, List.of(), List.of());
    }
    return new CsvTable(name, all.get(0), all.subList(1, all.size()));
  }

  boolean hasColumns(String... columns) {
    return header.containsAll(List.of(columns));
  }

  String get(List<String> row, String column) {
    int i = header.indexOf(column);
    return i < 0 || i >= row.size() ? "" : row.get(i);
  }

  /** The cell as a number; NaN when empty or the column is missing. */
  double number(List<String> row, String column) {
    String v = get(row, column);
    return v.isEmpty() ? Double.NaN : Double.parseDouble(v);
  }

  List<List<String>> where(Predicate<List<String>> p) {
    return rows.stream().filter(p).toList();
  }

  /** The row's key columns and their values, in the given order: what identifies a cited row. */
  Map<String, String> key(List<String> row, String... columns) {
    LinkedHashMap<String, String> k = new LinkedHashMap<>();
    for (String c : columns) {
      k.put(c, get(row, c));
    }
    return k;
  }
}
