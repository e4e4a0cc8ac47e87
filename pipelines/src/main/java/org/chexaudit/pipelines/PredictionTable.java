package org.chexaudit.pipelines;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.chexaudit.core.io.CsvFile;
import org.chexaudit.core.io.CsvSource;
import org.chexaudit.transforms.io.Resources;

/**
 * Streams a table of predictions row by row: a CSV with a header, or an Avro file whose top-level
 * fields are the columns. Each row comes with its 1-based line (CSV) or record number (Avro) so
 * errors can name it. The file is any Beam path ({@code /local}, {@code hdfs://...}), read through
 * {@link Resources}.
 */
final class PredictionTable {
  /** One row: its values by column position, and where it was in the file. */
  record Row(long line, List<String> values) {}

  private PredictionTable() {}

  /** Calls {@code header} once, then {@code rows} for every row; {@code file} is named in errors as given. */
  static void read(String file, Consumer<List<String>> header, Consumer<Row> rows) {
    ResourceId id = Resources.existingFile(file);
    if (id == null) {
      throw new IllegalArgumentException("predictions file not found: " + file);
    }
    try {
      if (file.endsWith(".avro")) {
        readAvro(id, header, rows);
      } else {
        readCsv(file, id, header, rows);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static void readCsv(String file, ResourceId id, Consumer<List<String>> header, Consumer<Row> rows)
      throws IOException {
    try (CsvFile csv = CsvFile.open(new CsvSource(file, () -> Resources.open(id)))) {
      header.accept(csv.header());
      for (CsvFile.Row r = csv.next(); r != null; r = csv.next()) {
        rows.accept(new Row(r.line(), r.fields()));
      }
    }
  }

  private static void readAvro(ResourceId file, Consumer<List<String>> header, Consumer<Row> rows) throws IOException {
    try (InputStream raw = Resources.open(file);
        DataFileStream<GenericRecord> in = new DataFileStream<>(raw, new GenericDatumReader<>())) {
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
