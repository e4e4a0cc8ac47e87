package org.chexaudit.core.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvFileTest {
  private static CsvSource source(String name, byte[] bytes) {
    return new CsvSource(name, () -> new ByteArrayInputStream(bytes));
  }

  private static CsvSource source(String name, String text) {
    return source(name, text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void trimsTheHeaderSkipsBlankLinesAndKeepsLineNumbers() throws IOException {
    try (CsvFile csv = CsvFile.open(source("a.csv", " Path ,Sex\np1,M\n\np2,\"F\"\n"))) {
      assertThat(csv.header(), equalTo(List.of("Path", "Sex")));
      CsvFile.Row first = csv.next();
      assertThat(first.get("Path"), is("p1"));
      assertThat(first.line(), is(2L));
      CsvFile.Row second = csv.next();
      assertThat(second.get("Sex"), is("F"));
      assertThat(second.line(), is(4L));
      assertThat(csv.next(), nullValue());
    }
  }

  @Test
  void aShortRowReadsEmptyAndAnUnknownColumnIsNamed() throws IOException {
    try (CsvFile csv = CsvFile.open(source("a.csv", "x,y\n1\n"))) {
      CsvFile.Row row = csv.next();
      assertThat(row.get("y"), is(""));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> row.get("z"));
      assertThat(e.getMessage(), containsString("a.csv: no column 'z'"));
    }
  }

  @Test
  void bytesThatAreNotUtf8MarkTheRowInsteadOfFailingTheFile() throws IOException {
    byte[] bytes = {'a', '\n', 'o', 'k', '\n', 'b', (byte) 0xff, 'd', '\n'};
    try (CsvFile csv = CsvFile.open(source("bytes.csv", bytes))) {
      assertThat(csv.next().undecodable(), is(false));
      CsvFile.Row bad = csv.next();
      assertThat(bad.undecodable(), is(true));
      assertThat(bad.line(), is(3L));
    }
  }

  @Test
  void anEmptyFileOrAMissingColumnFailsNamingTheFile() {
    IllegalArgumentException empty =
        assertThrows(IllegalArgumentException.class, () -> CsvFile.open(source("empty.csv", "")));
    assertThat(empty.getMessage(), equalTo("empty.csv: empty file, expected a header line"));
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> CsvFile.checkHeader(source("h.csv", "Path,Sex\n"), List.of("Path", "Age")));
    assertThat(missing.getMessage(), equalTo("h.csv: column 'Age' not found; columns are [Path, Sex]"));
  }

  @Test
  void forEachHandsOverEveryRowAndAnUnclosedQuoteIsReported() {
    List<String> paths = new ArrayList<>();
    CsvFile.forEach(source("f.csv", "Path\na\nb\n"), List.of("Path"), r -> paths.add(r.get("Path")));
    assertThat(paths, equalTo(List.of("a", "b")));
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> CsvFile.forEach(source("q.csv", "Path\n\"open\n"), List.of("Path"), r -> { }));
    assertThat(e.getMessage(), containsString("q.csv"));
  }
}
