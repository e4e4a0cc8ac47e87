package org.chexaudit.transforms.io;

import java.io.Serializable;

/**
 * Bytes {@code [start, end)} of one file. A reader of the range owns the lines that start inside it:
 * the line that straddles {@code start} belongs to the range before, the one that straddles
 * {@code end} to this one.
 */
public record FileRange(String file, long start, long end) implements Serializable {
  public FileRange {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("FileRange " + file + ": need 0 <= start <= end, got " + start + ", " + end);
    }
  }
}
