package org.chexaudit.core.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CsvReaderTest {
  private static CsvReader reader(String s) {
    return new CsvReader(new StringReader(s));
  }

  @Test
  void readsQuotedCommasDoubledQuotesAndLineBreaksInsideQuotes() throws IOException {
    CsvReader r = reader("a,\"b,c\",\"say \"\"hi\"\"\"\n\"two\nlines\",x,\n");
    assertThat(r.next().fields(), equalTo(List.of("a", "b,c", "say \"hi\"")));
    CsvReader.Record second = r.next();
    assertThat(second.fields(), equalTo(List.of("two\nlines", "x", "")));
    assertThat(second.line(), is(2L));
    assertThat(r.next(), nullValue());
  }

  @Test
  void handlesCrlfAndByteOrderMarkAndCountsLines() throws IOException {
    CsvReader r = reader("\uFEFFPath,Sex\r\np1,Male\r\np2,Female");
    assertThat(r.next().fields(), equalTo(List.of("Path", "Sex")));
    assertThat(r.next().fields(), equalTo(List.of("p1", "Male")));
    CsvReader.Record last = r.next();
    assertThat(last.fields(), equalTo(List.of("p2", "Female")));
    assertThat(last.line(), is(3L));
  }

  @Test
  void unclosedQuoteIsReportedWithItsLine() throws IOException {
    CsvReader r = reader("a,b\n1,\"open\n2,3\n");
    r.next();
    CsvReader.MalformedCsvException e = assertThrows(CsvReader.MalformedCsvException.class, r::next);
    assertThat(e.line(), is(2L));
  }

  /**
   * Records longer than the reader's buffer, read through a source that hands over a few characters at a
   * time or large chunks, give the fields they were written from, with the line each starts on.
   */
  @Test
  void recordsAcrossBufferAndChunkBoundariesKeepTheirFieldsAndLines() throws IOException {
    Random random = new Random(15);
    List<List<String>> written = new ArrayList<>();
    List<Long> lines = new ArrayList<>();
    StringBuilder text = new StringBuilder("\uFEFF");
    long line = 1;
    for (int r = 0; r < 400; r++) {
      List<String> fields = new ArrayList<>();
      StringBuilder row = new StringBuilder();
      long breaks = 0;
      for (int f = 0; f < 1 + random.nextInt(6); f++) {
        String v = "x".repeat(random.nextInt(r % 50 == 0 ? 40_000 : 30)) + "é"; // some longer than the buffer
        boolean quote = random.nextInt(3) == 0;
        if (quote) {
          v += random.nextBoolean() ? ",\"q\"\nnext" : "\r\n";
          breaks += v.chars().filter(ch -> ch == '\n').count();
        }
        fields.add(v);
        row.append(f == 0 ? "" : ",").append(quote ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
      }
      written.add(fields);
      lines.add(line);
      line += breaks + 1;
      text.append(row).append(random.nextBoolean() ? "\r\n" : "\n");
    }
    for (int chunk : new int[] {1, 3, 7, 1 << 20}) {
      CsvReader r = new CsvReader(new ChunkedReader(text.toString(), chunk));
      for (int i = 0; i < written.size(); i++) {
        CsvReader.Record rec = r.next();
        assertThat("record " + i + " in chunks of " + chunk, rec.fields(), equalTo(written.get(i)));
        assertThat("line of record " + i, rec.line(), is(lines.get(i)));
      }
      assertThat(r.next(), nullValue());
    }
  }

  /** Hands over at most {@code chunk} characters per read. */
  private static final class ChunkedReader extends Reader {
    private final String text;
    private final int chunk;
    private int pos;

    ChunkedReader(String text, int chunk) {
      this.text = text;
      this.chunk = chunk;
    }

    @Override
    public int read(char[] buf, int off, int len) {
      if (pos == text.length()) {
        return -1;
      }
      int n = Math.min(Math.min(len, chunk), text.length() - pos);
      text.getChars(pos, pos + n, buf, off);
      pos += n;
      return n;
    }

    @Override
    public void close() {}
  }

  @Test
  void otherDelimiterSplitsOnlyOnIt() throws IOException {
    assertThat(new CsvReader(new StringReader("a;b,c\n"), ';').next().fields(), equalTo(List.of("a", "b,c")));
  }

  @Test
  void writerQuotesOnlyWhatNeedsItAndRoundTrips() throws IOException {
    StringWriter w = new StringWriter();
    try (CsvWriter csv = new CsvWriter(w)) {
      csv.writeRow("plain", "with,comma", "with \"quote\"", null);
    }
    assertThat(w.toString(), equalTo("plain,\"with,comma\",\"with \"\"quote\"\"\",\n"));
    assertThat(reader(w.toString()).next().fields(), equalTo(List.of("plain", "with,comma", "with \"quote\"", "")));
  }
}
