package org.chexaudit.pipelines.report;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.chexaudit.core.io.CsvFile;
import org.chexaudit.core.io.CsvSource;
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
    return parse(new CsvSource(name, () -> Resources.open(csv)));
  }

  /** For tests: a table from CSV text. */
  static CsvTable of(String name, String text) {
    try {
      return parse(new CsvSource(name, () -> new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))));
    } catch (IOException e) {
      throw new IllegalArgumentException("CsvTable " + name + ": " + e.getMessage(), e);
    }
  }

  private static CsvTable parse(CsvSource source) throws IOException {
    List<List<String>> rows = new ArrayList<>();
    try (CsvFile csv = CsvFile.open(source)) {
      for (CsvFile.Row r = csv.next(); r != null; r = csv.next()) {
        rows.add(r.fields());
      }
      return new CsvTable(source.name(), csv.header(), rows);
    }
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
