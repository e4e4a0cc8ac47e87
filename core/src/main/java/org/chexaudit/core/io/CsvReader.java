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
  private final char[] buf = new char[1 << 14];
  /** Next character in {@link #buf}, and the end of those read. */
  private int pos;
  private int lim;
  /** Fields in the last record: the next one is likely as wide. */
  private int width = 8;

  public CsvReader(Reader in) {
    this(in, ',');
  }

  public CsvReader(Reader in, char delimiter) {
    this.in = in;
    this.delimiter = delimiter;
  }

  /**
   * Reads text that continues a file from the start of a record on 1-based line {@code firstLine} (a range of
   * {@link CsvRanges}): records are numbered from that line, and a U+FEFF opening the text is a character of
   * the record, not a byte-order mark.
   */
  public static CsvReader continuing(Reader in, long firstLine) {
    CsvReader r = new CsvReader(in, ',');
    r.line = firstLine;
    r.first = false;
    return r;
  }

  private int read() throws IOException {
    if (pushback != -2) {
      int c = pushback;
      pushback = -2;
      return c;
    }
    if (pos == lim && !fill()) {
      return -1;
    }
    return buf[pos++];
  }

  /** Reads the next chunk into {@link #buf}; false at end of input. Skips a byte-order mark opening the text. */
  private boolean fill() throws IOException {
    int n;
    do {
      n = in.read(buf, 0, buf.length);
    } while (n == 0);
    if (n < 0) {
      return false;
    }
    pos = 0;
    lim = n;
    if (first) {
      first = false;
      if (buf[0] == '\uFEFF' && ++pos == lim) {
        return fill();
      }
    }
    return true;
  }

  /**
   * Appends to {@code field} the buffered characters from {@link #pos} up to the first of {@code a},
   * {@code b} or {@code c}, and moves past them: most characters are copied a run at a time, not one
   * {@link #read} each (issue 15: a third of cohort's parse).
   */
  private void appendRun(StringBuilder field, char a, char b, char c) {
    int i = pos;
    while (i < lim) {
      char d = buf[i];
      if (d == a || d == b || d == c) {
        break;
      }
      i++;
    }
    field.append(buf, pos, i - pos);
    pos = i;
  }

  /** Returns the next record, or null at end of input. */
  public Record next() throws IOException {
    int c = read();
    if (c == -1) {
      return null;
    }
    long startLine = line;
    List<String> fields = new ArrayList<>(width);
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
          if (pushback == -2) {
            appendRun(field, '"', '\n', '"');
          }
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
        width = fields.size();
        return new Record(startLine, fields);
      } else {
        field.append((char) c);
        if (pushback == -2) {
          appendRun(field, delimiter, '\n', '\r');
        }
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
