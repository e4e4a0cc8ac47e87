package org.chexaudit.transforms.io;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One CSV record on one physical line, split in place over the bytes it was read into: fields are
 * turned into strings or numbers only when asked for, so a parse of 30 numeric columns per row makes
 * no string per number. Quoted fields ({@code "a,b"}, doubled quotes) are supported within the line;
 * a record whose quoted field spans lines is refused by {@link #split} (the range reader splits on
 * newlines). Reused for every line of a reader: not thread-safe, not to be kept.
 */
public final class CsvLine {
  /** Powers of ten exactly representable as doubles (10^0 .. 10^22). */
  private static final double[] POW10 = new double[23];

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  private byte[] buf;
  private int[] starts = new int[64];
  private int[] ends = new int[64];
  private boolean[] quoted = new boolean[64];
  private int count;

  /**
   * Splits {@code buf[from, to)} (no line terminator) at commas; false when a quote is left open
   * (a quoted field spanning lines).
   */
  public boolean split(byte[] buf, int from, int to) {
    this.buf = buf;
    count = 0;
    int i = from;
    while (true) {
      ensure(count + 1);
      if (i < to && buf[i] == '"') {
        int start = i + 1;
        int j = start;
        while (true) {
          if (j >= to) {
            return false;
          }
          if (buf[j] == '"') {
            if (j + 1 < to && buf[j + 1] == '"') {
              j += 2;
              continue;
            }
            break;
          }
          j++;
        }
        starts[count] = start;
        ends[count] = j;
        quoted[count++] = true;
        i = j + 1;
        while (i < to && buf[i] != ',') {
          i++; // text after the closing quote is ignored, as CsvReader does
        }
      } else {
        int start = i;
        while (i < to && buf[i] != ',') {
          i++;
        }
        starts[count] = start;
        ends[count] = i;
        quoted[count++] = false;
      }
      if (i >= to) {
        return true;
      }
      i++; // the comma
    }
  }

  public int size() {
    return count;
  }

  /** Field {@code i} as text; "" past the last field. */
  public String text(int i) {
    if (i >= count) {
      return "";
    }
    String s = new String(buf, starts[i], ends[i] - starts[i], StandardCharsets.UTF_8);
    return quoted[i] ? s.replace("\"\"", "\"") : s;
  }

  /**
   * Field {@code i} as {@link Double#parseDouble} reads it, bit for bit. Plain decimals of at most 15
   * significant digits ({@code -0.1234567}) take Clinger's fast path: the digits and the power of ten
   * are both exact doubles, so one correctly rounded division gives the correctly rounded value;
   * everything else (exponents, long mantissas, NaN, quoted fields) goes through parseDouble.
   *
   * @throws NumberFormatException as parseDouble does
   */
  public double number(int i) {
    if (i < count && !quoted[i]) {
      int p = starts[i];
      int end = ends[i];
      boolean negative = false;
      if (p < end && (buf[p] == '-' || buf[p] == '+')) {
        negative = buf[p] == '-';
        p++;
      }
      long mantissa = 0;
      int digits = 0;
      int scale = 0;
      boolean point = false;
      boolean any = false;
      for (; p < end; p++) {
        int c = buf[p];
        if (c >= '0' && c <= '9') {
          any = true;
          if (mantissa != 0 || c != '0') {
            digits++;
          }
          mantissa = mantissa * 10 + (c - '0');
          if (point) {
            scale++;
          }
        } else if (c == '.' && !point) {
          point = true;
        } else {
          break;
        }
      }
      if (p == end && any && digits <= 15 && scale < POW10.length) {
        double v = scale == 0 ? mantissa : mantissa / POW10[scale];
        return negative ? -v : v;
      }
    }
    return Double.parseDouble(text(i).trim());
  }

  /** All fields as text (headers, error messages). */
  public List<String> texts() {
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(text(i));
    }
    return out;
  }

  private void ensure(int n) {
    if (n > starts.length) {
      starts = Arrays.copyOf(starts, 2 * n);
      ends = Arrays.copyOf(ends, 2 * n);
      quoted = Arrays.copyOf(quoted, 2 * n);
    }
  }
}
