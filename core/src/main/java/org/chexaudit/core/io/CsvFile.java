package org.chexaudit.core.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * A CSV file with a header row, read row by row: the one way the project reads its CSV inputs
 * (CheXpert's {@code train.csv}, the split file, the CheXclusion datasets' files, predictions, the
 * report's tables). The header is trimmed; blank lines are skipped; bytes that are not UTF-8 become
 * U+FFFD, so a reader can make such a row a dead letter ({@link Row#undecodable}) instead of failing
 * the file; every message names the file.
 *
 * <pre>{@code
 * try (CsvFile csv = CsvFile.open(source).require(List.of("Path", "Sex"))) {
 *   for (CsvFile.Row row = csv.next(); row != null; row = csv.next()) {
 *     String path = row.get("Path");
 *   }
 * }
 * }</pre>
 */
public final class CsvFile implements AutoCloseable {
  /** One data row of {@code file}, at 1-based {@code line}. */
  public record Row(String file, long line, List<String> header, List<String> fields) {
    /** The value of {@code column}, trimmed; "" when the row is short. */
    public String get(String column) {
      int i = header.indexOf(column);
      if (i < 0) {
        throw new IllegalArgumentException(file + ": no column '" + column + "'; columns are " + header);
      }
      return i < fields.size() ? fields.get(i).trim() : "";
    }

    /** The row's fields joined by commas, as dead letters quote it. */
    public String raw() {
      return String.join(",", fields);
    }

    /** Whether the row held bytes that are not UTF-8 (decoded as U+FFFD). */
    public boolean undecodable() {
      for (String f : fields) {
        if (f.indexOf('\uFFFD') >= 0) {
          return true;
        }
      }
      return false;
    }
  }

  private final String name;
  private final CsvReader reader;
  private final List<String> header;

  private CsvFile(String name, CsvReader reader, List<String> header) {
    this.name = name;
    this.reader = reader;
    this.header = header;
  }

  /** Opens {@code source} and reads its header; fails naming the file when it is empty. */
  public static CsvFile open(CsvSource source) throws IOException {
    CsvReader reader = new CsvReader(reader(source.open()));
    try {
      CsvReader.Record first = reader.next();
      if (first == null) {
        throw new IllegalArgumentException(source + ": empty file, expected a header line");
      }
      return new CsvFile(source.name(), reader, first.fields().stream().map(String::trim).toList());
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  /**
   * The rows of one range of a file whose header is {@code header} ({@link CsvRanges}): {@code in} starts at
   * the range's first record, on line {@code firstLine}, and ends with the range. The rows' lines are the
   * file's.
   */
  public static CsvFile continuing(String name, InputStream in, List<String> header, long firstLine) {
    return new CsvFile(name, CsvReader.continuing(reader(in), firstLine), header);
  }

  /** UTF-8 text of {@code in}, bytes that are not UTF-8 read as U+FFFD. */
  private static Reader reader(InputStream in) {
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    return new BufferedReader(new InputStreamReader(in, decoder), 1 << 16);
  }

  /** This file, after checking that its header has every one of {@code columns}. */
  public CsvFile require(List<String> columns) {
    for (String c : columns) {
      if (!header.contains(c)) {
        throw new IllegalArgumentException(name + ": column '" + c + "' not found; columns are " + header);
      }
    }
    return this;
  }

  public String name() {
    return name;
  }

  public List<String> header() {
    return header;
  }

  /**
   * The next data row, or null at the end of the file.
   *
   * @throws CsvReader.MalformedCsvException when the rest of the file cannot be split into fields
   */
  public Row next() throws IOException {
    for (CsvReader.Record r = reader.next(); r != null; r = reader.next()) {
      if (!(r.fields().size() == 1 && r.fields().get(0).isEmpty())) {
        return new Row(name, r.line(), header, r.fields());
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }

  /** Hands every data row of {@code source} to {@code rows}; fails naming the file as {@link #require} does. */
  public static void forEach(CsvSource source, List<String> required, Consumer<Row> rows) {
    try (CsvFile csv = open(source).require(required)) {
      for (Row r = csv.next(); r != null; r = csv.next()) {
        rows.accept(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
    }
  }

  /** Reads only the header and fails as {@link #forEach} does: checks a file before a pipeline starts. */
  public static List<String> checkHeader(CsvSource source, List<String> required) {
    try (CsvFile csv = open(source).require(required)) {
      return csv.header();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
    }
  }
}
