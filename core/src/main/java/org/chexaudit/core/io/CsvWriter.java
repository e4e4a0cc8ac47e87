package org.chexaudit.core.io;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/** Writes RFC 4180 CSV with LF line ends, quoting only fields that need it (as pandas does). */
public final class CsvWriter implements AutoCloseable {
  private final Writer out;

  public CsvWriter(Writer out) {
    this.out = out;
  }

  public void writeRow(List<String> fields) throws IOException {
    out.write(line(fields));
  }

  /** One row as its CSV line, LF included: format it once to write it to several files. */
  public static String line(List<String> fields) {
    StringBuilder b = new StringBuilder(16 * fields.size());
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(escape(fields.get(i)));
    }
    return b.append('\n').toString();
  }

  public void writeRow(String... fields) throws IOException {
    writeRow(java.util.Arrays.asList(fields));
  }

  /** Quotes a field containing a comma, quote or line break; null is written as an empty field. */
  public static String escape(String field) {
    if (field == null) {
      return "";
    }
    boolean needsQuotes = false;
    for (int i = 0; i < field.length() && !needsQuotes; i++) {
      char c = field.charAt(i);
      needsQuotes = c == ',' || c == '"' || c == '\n' || c == '\r';
    }
    return needsQuotes ? '"' + field.replace("\"", "\"\"") + '"' : field;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
