package org.chexaudit.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a CSV file into byte ranges that start and end between records, so that its records can be read by
 * several workers at once and still be numbered as one reader numbers them. One pass over the bytes follows
 * {@link CsvReader}'s rules (a quote opens a quoted field only at the field's start, doubled quotes, line
 * breaks inside quotes, {@code \r\n}, {@code \n} or a lone {@code \r} ending a record, a leading byte-order
 * mark) without decoding text: in UTF-8 every byte of a multi-byte character is above 0x7F, so quotes,
 * commas and line breaks are found among the bytes.
 *
 * <p>Each range knows how many non-blank records come before it and the line it starts on, which is what
 * a reader of that range needs to give its records the index and line a reader of the whole file gives
 * them ({@link CsvFile#continuing}). Blank records (an empty line, or a single empty field) are not counted,
 * as {@link CsvFile#next} skips them.
 */
public final class CsvRanges {
  /**
   * Bytes {@code [start, end)} of a file: whole records, {@code recordsBefore} non-blank records (the header
   * included) before it, its first record starting on 1-based line {@code firstLine}.
   */
  public record Range(long start, long end, long recordsBefore, long firstLine) implements Serializable {}

  private CsvRanges() {}

  /**
   * Ranges of at least {@code targetBytes} (the last one may be shorter), cut at the first record end after
   * each {@code targetBytes}; one range for a file smaller than that. A file whose last quoted field is never
   * closed ends in one range holding that record, as {@link CsvReader} then reports it.
   */
  public static List<Range> of(InputStream in, long targetBytes) throws IOException {
    if (targetBytes < 1) {
      throw new IllegalArgumentException("CsvRanges targetBytes must be >= 1, got " + targetBytes);
    }
    Bytes bytes = new Bytes(in);
    if (bytes.peek() == 0xEF && bytes.startsWithByteOrderMark()) {
      bytes.skip(3);
    }
    List<Range> ranges = new ArrayList<>();
    long line = 1;
    long records = 0; // non-blank records ended so far
    Range open = new Range(0, 0, 0, 1); // the range being read (its end not yet known)
    boolean quoted = false;
    boolean fieldEmpty = true; // no character in the current field yet
    boolean fieldWasQuoted = false;
    boolean content = false; // the record has a character or a delimiter: not blank
    while (true) {
      int c = bytes.read();
      if (quoted) {
        if (c == -1) {
          break; // never closed: the rest is one malformed record
        }
        if (c == '"') {
          if (bytes.peek() == '"') {
            bytes.read();
            fieldEmpty = false;
            content = true;
          } else {
            quoted = false;
          }
        } else {
          if (c == '\n') {
            line++;
          }
          fieldEmpty = false;
          content = true;
        }
      } else if (c == '"' && fieldEmpty && !fieldWasQuoted) {
        quoted = true;
        fieldWasQuoted = true;
      } else if (c == ',') {
        fieldEmpty = true;
        fieldWasQuoted = false;
        content = true;
      } else if (c == '\r' || c == '\n' || c == -1) {
        if (content) {
          records++;
        }
        if (c == -1) {
          break;
        }
        if (c == '\r' && bytes.peek() == '\n') {
          bytes.read();
        }
        line++;
        fieldEmpty = true;
        fieldWasQuoted = false;
        content = false;
        if (bytes.pos - open.start() >= targetBytes) {
          ranges.add(new Range(open.start(), bytes.pos, open.recordsBefore(), open.firstLine()));
          open = new Range(bytes.pos, bytes.pos, records, line);
        }
      } else {
        fieldEmpty = false;
        content = true;
      }
    }
    if (bytes.pos > open.start() || ranges.isEmpty()) {
      ranges.add(new Range(open.start(), bytes.pos, open.recordsBefore(), open.firstLine()));
    }
    return ranges;
  }

  /** A file's bytes (0-255, -1 at the end) with one byte of look-ahead and the offset of the next. */
  private static final class Bytes {
    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int i;
    private int n;
    long pos;

    Bytes(InputStream in) {
      this.in = in;
    }

    int peek() throws IOException {
      if (i == n && !fill()) {
        return -1;
      }
      return buf[i] & 0xff;
    }

    int read() throws IOException {
      int c = peek();
      if (c != -1) {
        i++;
        pos++;
      }
      return c;
    }

    /** Whether the next three bytes are UTF-8's byte-order mark (EF BB BF); reads ahead without consuming. */
    boolean startsWithByteOrderMark() throws IOException {
      if (n - i < 3) {
        System.arraycopy(buf, i, buf, 0, n - i);
        n -= i;
        i = 0;
        int r;
        while (n < 3 && (r = in.read(buf, n, buf.length - n)) > 0) {
          n += r;
        }
      }
      return n - i >= 3 && (buf[i] & 0xff) == 0xEF && (buf[i + 1] & 0xff) == 0xBB && (buf[i + 2] & 0xff) == 0xBF;
    }

    void skip(int k) {
      i += k;
      pos += k;
    }

    private boolean fill() throws IOException {
      int r;
      do {
        r = in.read(buf, 0, buf.length);
      } while (r == 0);
      i = 0;
      n = Math.max(r, 0);
      return r > 0;
    }
  }
}
