package org.chexaudit.core.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CsvRangesTest {
  /** A row as a reader of the whole file sees it: index among data rows, line, fields; or the error's line. */
  private record Seen(long index, long line, List<String> fields) {}

  @Test
  void rangesOfPlainLinesStartAfterTheLineEndPastEachTarget() throws IOException {
    byte[] csv = "h1,h2\na,b\nc,d\n\ne,f\n".getBytes(StandardCharsets.UTF_8);
    // bytes: "h1,h2\n" 0-5, "a,b\n" 6-9, "c,d\n" 10-13, "\n" 14, "e,f\n" 15-18
    assertThat(CsvRanges.of(new ByteArrayInputStream(csv), 8), contains(
        new CsvRanges.Range(0, 10, 0, 1), new CsvRanges.Range(10, 19, 2, 3)));
    assertThat(CsvRanges.of(new ByteArrayInputStream(csv), 1), contains(
        new CsvRanges.Range(0, 6, 0, 1), new CsvRanges.Range(6, 10, 1, 2), new CsvRanges.Range(10, 14, 2, 3),
        new CsvRanges.Range(14, 15, 3, 4), new CsvRanges.Range(15, 19, 3, 5)));
    assertThat(CsvRanges.of(new ByteArrayInputStream(csv), 1 << 20), contains(new CsvRanges.Range(0, 19, 0, 1)));
    assertThat(CsvRanges.of(new ByteArrayInputStream(new byte[0]), 4), contains(new CsvRanges.Range(0, 0, 0, 1)));
  }

  /**
   * Random files with quoted commas, quotes and line breaks, CRLF, LF and lone CR record ends, blank lines,
   * quoted empty records, a byte-order mark, non-ASCII and invalid UTF-8 bytes, some ending in a quote that
   * is never closed: read range by range, at any range size, they give the rows (index, line, fields) and
   * the error a reader of the whole file gives.
   */
  @Test
  void readingRangeByRangeGivesTheRowsOfReadingTheWholeFile() throws IOException {
    Random random = new Random(2021);
    String[] pieces = {"a", "bc", "é", "ß漢", "\"", ",", "\n", "\r\n", "\r", " ", "x\"y", "\"q,\"\"w\nz\"", "\"\""};
    for (int file = 0; file < 60; file++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (random.nextBoolean()) {
        out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
      }
      out.writeBytes("Path,Sex,Age\n".getBytes(StandardCharsets.UTF_8));
      for (int k = 0; k < 40 + random.nextInt(200); k++) {
        String piece = pieces[random.nextInt(pieces.length)];
        if (random.nextInt(50) == 0) {
          out.write(0xFF); // not UTF-8
        }
        // keep quotes mostly balanced so most files parse to the end
        out.writeBytes((piece.equals("\"") && random.nextInt(4) != 0 ? "\"\"" : piece).getBytes(StandardCharsets.UTF_8));
      }
      byte[] csv = out.toByteArray();
      List<Seen> whole = readWhole(csv);
      for (long target : new long[] {1, 5, 17, 64, 1 << 20}) {
        List<CsvRanges.Range> ranges = CsvRanges.of(new ByteArrayInputStream(csv), target);
        assertThat("ranges cover file " + file, ranges.get(0).start(), is(0L));
        for (int r = 1; r < ranges.size(); r++) {
          assertThat("ranges are contiguous", ranges.get(r).start(), is(ranges.get(r - 1).end()));
        }
        assertThat(ranges.get(ranges.size() - 1).end(), is((long) csv.length));
        assertThat("file " + file + " in ranges of " + target + " bytes", readInRanges(csv, ranges), equalTo(whole));
      }
    }
  }

  @Test
  void largeFilesAreCutNearTheTarget() throws IOException {
    StringBuilder s = new StringBuilder("Path,Age\n");
    for (int i = 0; i < 10_000; i++) {
      s.append("\"patient").append(i).append("/study1, view\",").append(i % 90).append('\n');
    }
    byte[] csv = s.toString().getBytes(StandardCharsets.UTF_8);
    List<CsvRanges.Range> ranges = CsvRanges.of(new ByteArrayInputStream(csv), 64 << 10);
    assertThat(ranges, hasSize(csv.length / (64 << 10) + 1));
    assertThat(ranges.get(1).recordsBefore(), greaterThan(1L));
    assertThat(readInRanges(csv, ranges), equalTo(readWhole(csv)));
  }

  private static List<Seen> readWhole(byte[] csv) throws IOException {
    List<Seen> seen = new ArrayList<>();
    CsvSource source = new CsvSource("test.csv", () -> new ByteArrayInputStream(csv));
    try (CsvFile f = CsvFile.open(source)) {
      collect(f, 0, seen);
    } catch (IllegalArgumentException e) { // empty file
      seen.add(new Seen(-1, -1, List.of(e.getMessage())));
    }
    return seen;
  }

  private static List<Seen> readInRanges(byte[] csv, List<CsvRanges.Range> ranges) throws IOException {
    List<Seen> seen = new ArrayList<>();
    List<String> header;
    CsvSource source = new CsvSource("test.csv", () -> new ByteArrayInputStream(csv));
    try (CsvFile f = CsvFile.open(source)) {
      header = f.header();
    } catch (IllegalArgumentException e) {
      seen.add(new Seen(-1, -1, List.of(e.getMessage())));
      return seen;
    }
    for (CsvRanges.Range r : ranges) {
      byte[] part = Arrays.copyOfRange(csv, (int) r.start(), (int) r.end());
      if (r.start() == 0) {
        try (CsvFile f = CsvFile.open(new CsvSource("test.csv", () -> new ByteArrayInputStream(part)))) {
          if (!collect(f, 0, seen)) {
            break;
          }
        }
      } else {
        try (CsvFile f = CsvFile.continuing("test.csv", new ByteArrayInputStream(part), header, r.firstLine())) {
          if (!collect(f, r.recordsBefore() - 1, seen)) {
            break;
          }
        }
      }
    }
    return seen;
  }

  /** Adds the rows of {@code f}, numbered from {@code index}; false after a malformed record (added as line only). */
  private static boolean collect(CsvFile f, long index, List<Seen> seen) throws IOException {
    while (true) {
      CsvFile.Row row;
      try {
        row = f.next();
      } catch (CsvReader.MalformedCsvException e) {
        seen.add(new Seen(-1, e.line(), List.of("malformed")));
        return false;
      }
      if (row == null) {
        return true;
      }
      seen.add(new Seen(index++, row.line(), row.fields()));
    }
  }
}
