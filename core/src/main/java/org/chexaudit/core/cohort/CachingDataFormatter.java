package org.chexaudit.core.cohort;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.poi.ss.usermodel.DataFormatter;

/**
 * A {@link DataFormatter} that remembers how it displayed each (number, format) pair. Formatting a number
 * as Excel shows it tests the format against date patterns (regular expressions) every time; a
 * demographics sheet repeats a few dozen ages in tens of thousands of cells (issue 15). The result is a
 * function of the value and the format alone, so a remembered one is the one POI would give.
 */
final class CachingDataFormatter extends DataFormatter {
  /** Enough for the distinct numbers of a sheet's small-domain columns; beyond it, cells are formatted anew. */
  static final int MAX_ENTRIES = 1 << 14;

  private record Key(long bits, int formatIndex, String formatString) {}

  private final Map<Key, String> formatted = new HashMap<>();

  @Override
  public String formatRawCellContents(double value, int formatIndex, String formatString) {
    Key key = new Key(Double.doubleToLongBits(value), formatIndex, Objects.requireNonNullElse(formatString, ""));
    String s = formatted.get(key);
    if (s == null) {
      s = super.formatRawCellContents(value, formatIndex, formatString);
      if (formatted.size() < MAX_ENTRIES) {
        formatted.put(key, s);
      }
    }
    return s;
  }
}
