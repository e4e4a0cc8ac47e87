package org.chexaudit.transforms.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Reads the lines of one {@link FileRange} through Beam's {@link FileSystems}: the lines that start in
 * the range, with the byte offset where each starts, without their {@code \n} or {@code \r\n}. The
 * line straddling the range's start is skipped (the range before reads it); the last one is read
 * past the range's end. The same ownership rule as Beam's TextIO.
 */
public final class TextRangeReader {
  /** Receives each line's bytes {@code buf[from, to)} and the file offset where the line starts. */
  public interface LineConsumer {
    void line(long offset, byte[] buf, int from, int to) throws IOException;
  }

  private TextRangeReader() {}

  public static void read(FileRange range, LineConsumer consumer) throws IOException {
    ResourceId file = FileSystems.matchNewResource(range.file(), false);
    try (ReadableByteChannel channel = FileSystems.open(file)) {
      long position = range.start() == 0 ? 0 : range.start() - 1;
      if (position > 0) {
        if (!(channel instanceof SeekableByteChannel seekable)) {
          throw new IOException(range.file() + ": cannot seek to read bytes from " + range.start());
        }
        seekable.position(position);
      }
      byte[] buf = new byte[1 << 20];
      int len = 0; // bytes in buf
      int lineStart = 0; // start of the pending line in buf
      long bufOffset = position; // file offset of buf[0]
      boolean skipFirst = range.start() > 0; // the byte before start decides whether a line starts at start
      boolean eof = false;
      while (true) {
        int nl = indexOf(buf, lineStart, len);
        if (nl < 0) {
          if (eof) {
            if (lineStart < len && !skipFirst && bufOffset + lineStart < range.end()) {
              consumer.line(bufOffset + lineStart, buf, lineStart, trimCr(buf, lineStart, len));
            }
            return;
          }
          // keep the pending line, read more after it
          if (lineStart > 0) {
            System.arraycopy(buf, lineStart, buf, 0, len - lineStart);
            bufOffset += lineStart;
            len -= lineStart;
            lineStart = 0;
          }
          if (len == buf.length) {
            buf = Arrays.copyOf(buf, 2 * buf.length);
          }
          int n = channel.read(ByteBuffer.wrap(buf, len, buf.length - len));
          if (n < 0) {
            eof = true;
          } else {
            len += n;
          }
          continue;
        }
        long offset = bufOffset + lineStart;
        if (offset >= range.end() && !skipFirst) {
          return;
        }
        if (skipFirst) {
          skipFirst = false;
        } else {
          consumer.line(offset, buf, lineStart, trimCr(buf, lineStart, nl));
        }
        lineStart = nl + 1;
      }
    }
  }

  /** The 1-based line of {@code file} that starts at byte {@code offset}: counts the newlines before it. */
  public static long lineAt(String file, long offset) throws IOException {
    try (ReadableByteChannel channel = FileSystems.open(FileSystems.matchNewResource(file, false))) {
      ByteBuffer b = ByteBuffer.allocate(1 << 20);
      long line = 1;
      long seen = 0;
      while (seen < offset) {
        b.clear();
        b.limit((int) Math.min(b.capacity(), offset - seen));
        int n = channel.read(b);
        if (n < 0) {
          break;
        }
        byte[] a = b.array();
        for (int i = 0; i < n; i++) {
          if (a[i] == '\n') {
            line++;
          }
        }
        seen += n;
      }
      return line;
    }
  }

  private static int indexOf(byte[] buf, int from, int to) {
    for (int i = from; i < to; i++) {
      if (buf[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static int trimCr(byte[] buf, int from, int to) {
    return to > from && buf[to - 1] == '\r' ? to - 1 : to;
  }
}
