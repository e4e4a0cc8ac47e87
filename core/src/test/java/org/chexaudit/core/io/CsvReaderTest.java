package org.chexaudit.core.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
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
