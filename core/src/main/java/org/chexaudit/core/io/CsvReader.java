package org.chexaudit.core.io;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Streaming RFC 4180 reader: quoted fields with commas, doubled quotes and line breaks, CRLF or LF
 * line ends, and a leading UTF-8 byte-order mark. One call to {@link #next()} returns one record.
 *
 * <p>Written here rather than taken from a library because the cohort stage needs the physical line
 * number of every record for its dead letters, and a record that ends inside an open quote must be
 * reported, not silently merged with the rest of the file.
 */
public final class CsvReader implements AutoCloseable {

  /** A parsed record with the 1-based line on which it starts. */
  public record Record(long line, List<String> fields) {}

  private final Reader in;
  private final char delimiter;
  private int pushback = -2;
  private long line = 1;
  private boolean first = true;

  public CsvReader(Reader in) {
    this(in, ',');
  }

  public CsvReader(Reader in, char delimiter) {
    this.in = in;
    this.delimiter = delimiter;
  }

  private int read() throws IOException {
    if (pushback != -2) {
      int c = pushback;
      pushback = -2;
      return c;
    }
    int c = in.read();
    if (first) {
      first = false;
      if (c == '\uFEFF') {
        c = in.read();
      }
    }
    return c;
  }

  /** Returns the next record, or null at end of input. */
  public Record next() throws IOException {
    int c = read();
    if (c == -1) {
      return null;
    }
    long startLine = line;
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean fieldWasQuoted = false;
    while (true) {
      if (quoted) {
        if (c == -1) {
          throw new MalformedCsvException(
              startLine, "a quoted field opened on line " + startLine + " is never closed");
        }
        if (c == '"') {
          int d = read();
          if (d == '"') {
            field.append('"');
          } else {
            quoted = false;
            pushback = d;
          }
        } else {
          if (c == '\n') {
            line++;
          }
          field.append((char) c);
        }
      } else if (c == '"' && field.length() == 0 && !fieldWasQuoted) {
        quoted = true;
        fieldWasQuoted = true;
      } else if (c == delimiter) {
        fields.add(field.toString());
        field.setLength(0);
        fieldWasQuoted = false;
      } else if (c == '\r' || c == '\n' || c == -1) {
        if (c == '\r') {
          int d = read();
          if (d != '\n') {
            pushback = d;
          }
        }
        if (c != -1) {
          line++;
        }
        fields.add(field.toString());
        return new Record(startLine, fields);
      } else {
        field.append((char) c);
      }
      c = read();
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** A structural error in the CSV text, with the line where the bad record starts. */
  public static final class MalformedCsvException extends IOException {
    private final long line;

    public MalformedCsvException(long line, String message) {
      super(message);
      this.line = line;
    }

    public long line() {
      return line;
    }
  }
}
