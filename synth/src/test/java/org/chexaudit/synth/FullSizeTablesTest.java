package org.chexaudit.synth;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CheXpert-size tables (no images): exact totals, and fast enough to run by default. */
class FullSizeTablesTest {
  @TempDir Path dir;

  @Test
  void fullSizeTablesHaveCheXpertRowAndPatientCounts() throws IOException {
    long start = System.nanoTime();
    SynthGenerator.TableCounts counts =
        new SynthGenerator(SynthConfig.builder().full().build()).writeTables(dir);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("full-size tables: %d rows in %.2f s (%.0f rows/s)%n", counts.trainRows(),
        seconds, counts.trainRows() / seconds);

    long rows = 0;
    Set<String> patients = new HashSet<>();
    try (BufferedReader r = Files.newBufferedReader(dir.resolve(ChexpertFormat.TRAIN_CSV))) {
      r.readLine();
      String line;
      while ((line = r.readLine()) != null) {
        rows++;
        patients.add(line.split("/", 4)[2]);
      }
    }
    assertThat(rows, is(223_414L));
    assertThat(patients.size(), is(64_540));
    assertThat(spreadsheetDataRows(dir.resolve(ChexpertFormat.DEMO_XLSX)), is(65_401L));
    assertThat(counts.demoRows(), is(65_401));
  }

  /** Counts {@code <row } elements of the first sheet (the header row not counted). */
  private static long spreadsheetDataRows(Path xlsx) throws IOException {
    try (ZipFile zip = new ZipFile(xlsx.toFile());
        InputStream in = zip.getInputStream(zip.getEntry("xl/worksheets/sheet1.xml"));
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      long n = 0;
      char[] buf = new char[1 << 16];
      String carry = "";
      int len;
      while ((len = r.read(buf)) > 0) {
        String chunk = carry + new String(buf, 0, len);
        int i = 0;
        while ((i = chunk.indexOf("<row ", i)) >= 0) {
          n++;
          i += 5;
        }
        carry = chunk.substring(Math.max(0, chunk.length() - 4));
      }
      return n - 1;
    }
  }
}
