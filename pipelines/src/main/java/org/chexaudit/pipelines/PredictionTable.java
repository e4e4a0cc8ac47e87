package org.chexaudit.pipelines;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.chexaudit.core.io.CsvReader;

/**
 * Streams a table of predictions row by row: a CSV with a header, or an Avro file whose top-level
 * fields are the columns. Each row comes with its 1-based line (CSV) or record number (Avro) so
 * errors can name it.
 */
final class PredictionTable {
  /** One row: its values by column position, and where it was in the file. */
  record Row(long line, List<String> values) {}

  private PredictionTable() {}

  /** Calls {@code header} once, then {@code rows} for every row. */
  static void read(Path file, Consumer<List<String>> header, Consumer<Row> rows) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("predictions file not found: " + file);
    }
    try {
      if (file.getFileName().toString().endsWith(".avro")) {
        readAvro(file, header, rows);
      } else {
        readCsv(file, header, rows);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static void readCsv(Path file, Consumer<List<String>> header, Consumer<Row> rows) throws IOException {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8); CsvReader csv = new CsvReader(in)) {
      CsvReader.Record first = csv.next();
      if (first == null) {
        throw new IllegalArgumentException(file + ": empty file, expected a header line");
      }
      header.accept(first.fields());
      for (CsvReader.Record r = csv.next(); r != null; r = csv.next()) {
        if (r.fields().size() == 1 && r.fields().get(0).isEmpty()) {
          continue; // blank line
        }
        rows.accept(new Row(r.line(), r.fields()));
      }
    }
  }

  private static void readAvro(Path file, Consumer<List<String>> header, Consumer<Row> rows) throws IOException {
    try (DataFileReader<GenericRecord> in = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
      Schema schema = in.getSchema();
      List<String> names = new ArrayList<>();
      schema.getFields().forEach(f -> names.add(f.name()));
      header.accept(names);
      long n = 0;
      while (in.hasNext()) {
        GenericRecord r = in.next();
        n++;
        List<String> values = new ArrayList<>(names.size());
        for (String name : names) {
          Object v = r.get(name);
          values.add(v == null ? "" : v.toString());
        }
        rows.accept(new Row(n, values));
      }
    }
  }
}
