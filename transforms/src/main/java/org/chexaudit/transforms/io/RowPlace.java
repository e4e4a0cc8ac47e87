package org.chexaudit.transforms.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * Where a row of a table file is, for messages: a text line by the byte offset where it starts (its
 * line number is counted only when a message needs it, since a reader of a byte range does not know
 * it), or a record by its 1-based number in a file read whole.
 */
public record RowPlace(String file, long offset, long record) implements Serializable {
  /** The text line starting at byte {@code offset}. */
  public static RowPlace line(String file, long offset) {
    return new RowPlace(file, offset, -1);
  }

  /** Record number {@code record} (1-based). */
  public static RowPlace record(String file, long record) {
    return new RowPlace(file, -1, record);
  }

  /** {@code line 5} or {@code record 5}; reads the file up to the line to count its number. */
  public String position() {
    if (record >= 0) {
      return "record " + record;
    }
    try {
      return "line " + TextRangeReader.lineAt(file, offset);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot count the lines of " + file, e);
    }
  }

  /** {@code FILE line 5}. */
  public String describe() {
    return file + " " + position();
  }

  /** Orders places of one file by position. */
  public long sortKey() {
    return record >= 0 ? record : offset;
  }

  /** A deterministic coder: file, offset, record. */
  public static final class Coder extends CustomCoder<RowPlace> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(RowPlace p, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(p.file(), out);
      VarLongCoder.of().encode(p.offset() + 1, out);
      VarLongCoder.of().encode(p.record() + 1, out);
    }

    @Override
    public RowPlace decode(InputStream in) throws IOException {
      return new RowPlace(StringUtf8Coder.of().decode(in), VarLongCoder.of().decode(in) - 1,
          VarLongCoder.of().decode(in) - 1);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
