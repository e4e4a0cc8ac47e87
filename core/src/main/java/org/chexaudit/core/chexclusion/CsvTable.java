package org.chexaudit.core.chexclusion;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.chexaudit.core.io.CsvReader;

/** Reads a CSV with a header; each row is handed over with access to columns by name. */
public final class CsvTable {
  /** One data row of {@code file}. */
  record Row(String file, long line, List<String> header, List<String> fields) {
    /** The value of {@code column} (trimmed; "" when the row is short). */
    String get(String column) {
      int i = header.indexOf(column);
      if (i < 0) {
        throw new IllegalArgumentException(file + ": no column '" + column + "'; columns are " + header);
      }
      return i < fields.size() ? fields.get(i).trim() : "";
    }

    String raw() {
      return String.join(",", fields);
    }
  }

  private CsvTable() {}

  /** Calls {@code rows} for each data row; fails naming the file when it is missing or lacks {@code required} columns. */
  static void read(CsvSource file, List<String> required, Consumer<Row> rows) {
    try (Reader in = new BufferedReader(new InputStreamReader(file.open(), StandardCharsets.UTF_8));
        CsvReader csv = new CsvReader(in)) {
      List<String> header = header(file, csv, required);
      for (CsvReader.Record r = csv.next(); r != null; r = csv.next()) {
        if (r.fields().size() == 1 && r.fields().get(0).isEmpty()) {
          continue; // blank line
        }
        rows.accept(new Row(file.name(), r.line(), header, r.fields()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads only the header and fails as {@link #read} does; checks a file before a pipeline starts. */
  public static void checkHeader(CsvSource file, List<String> required) {
    try (Reader in = new BufferedReader(new InputStreamReader(file.open(), StandardCharsets.UTF_8));
        CsvReader csv = new CsvReader(in)) {
      header(file, csv, required);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static List<String> header(CsvSource file, CsvReader csv, List<String> required) throws IOException {
    CsvReader.Record first = csv.next();
    if (first == null) {
      throw new IllegalArgumentException(file + ": empty file, expected a header line");
    }
    List<String> header = first.fields().stream().map(String::trim).toList();
    for (String c : required) {
      if (!header.contains(c)) {
        throw new IllegalArgumentException(file + ": column '" + c + "' not found; columns are " + header);
      }
    }
    return header;
  }
}
