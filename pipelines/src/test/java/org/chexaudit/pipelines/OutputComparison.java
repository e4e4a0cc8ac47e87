package org.chexaudit.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * Compares two output folders of the same stage: every CSV byte for byte (or within a tolerance for
 * model scores), every Avro folder as a sorted multiset of records (file splits and order may differ
 * between runners), and summary.json without its timings.
 */
final class OutputComparison {
  private OutputComparison() {}

  /** Relative paths of the files under {@code dir} ending with {@code suffix}, sorted. */
  static List<String> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
          .filter(p -> p.endsWith(suffix)).sorted().toList();
    }
  }

  static void assertCsvsIdentical(Path a, Path b) throws IOException {
    List<String> names = files(a, ".csv");
    assertThat("CSV files of " + b, files(b, ".csv"), equalTo(names));
    for (String n : names) {
      assertThat(b + "/" + n + " differs from " + a, Files.readString(b.resolve(n)), equalTo(Files.readString(a.resolve(n))));
    }
  }

  /** CSVs with the same header, ids and row order, numbers within {@code tolerance}. */
  static double assertCsvsClose(Path a, Path b, double tolerance) throws IOException {
    List<String> names = files(a, ".csv");
    assertThat("CSV files of " + b, files(b, ".csv"), equalTo(names));
    double worst = 0;
    for (String n : names) {
      List<String> x = Files.readAllLines(a.resolve(n));
      List<String> y = Files.readAllLines(b.resolve(n));
      assertThat(n + " rows", y.size(), equalTo(x.size()));
      assertThat(n + " header", y.get(0), equalTo(x.get(0)));
      for (int r = 1; r < x.size(); r++) {
        String[] u = x.get(r).split(",", -1);
        String[] v = y.get(r).split(",", -1);
        assertThat(n + " row " + r + " id", v[0], equalTo(u[0]));
        for (int c = 1; c < u.length; c++) {
          double d = Math.abs(Double.parseDouble(u[c]) - Double.parseDouble(v[c]));
          worst = Math.max(worst, d);
          assertThat(n + " row " + r + " column " + c, d, lessThanOrEqualTo(tolerance));
        }
      }
    }
    return worst;
  }

  /** Records of each Avro folder (or file) as sorted JSON strings, keyed by folder. */
  static Map<String, List<String>> avroRecords(Path dir) throws IOException {
    Map<String, List<String>> out = new TreeMap<>();
    for (String f : files(dir, ".avro")) {
      String group = f.contains("/") ? f.substring(0, f.lastIndexOf('/')) : f;
      List<String> records = out.computeIfAbsent(group, k -> new ArrayList<>());
      try (DataFileReader<GenericRecord> r = new DataFileReader<>(dir.resolve(f).toFile(), new GenericDatumReader<>())) {
        r.forEach(rec -> records.add(rec.toString()));
      }
    }
    out.values().forEach(l -> l.sort(null));
    return out;
  }

  static void assertAvroSame(Path a, Path b) throws IOException {
    Map<String, List<String>> x = avroRecords(a);
    Map<String, List<String>> y = avroRecords(b);
    assertThat("Avro folders of " + b, y.keySet(), equalTo(x.keySet()));
    for (String k : x.keySet()) {
      assertThat(b + "/" + k + " records", y.get(k).size(), equalTo(x.get(k).size()));
      assertThat(b + "/" + k + " records differ from " + a, y.get(k), equalTo(x.get(k)));
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> summaryWithoutTimings(Path dir) throws IOException {
    Map<String, Object> s = new ObjectMapper().readValue(dir.resolve("summary.json").toFile(), Map.class);
    s.keySet().removeIf(k -> k.contains("second") || k.contains("time"));
    return s;
  }

  /** Everything a later stage or a person reads: CSVs, Avro records, summary counts. */
  static void assertSameOutputs(Path a, Path b) throws IOException {
    assertCsvsIdentical(a, b);
    assertAvroSame(a, b);
    if (Files.exists(a.resolve("summary.json"))) {
      assertThat(b + "/summary.json", summaryWithoutTimings(b), equalTo(summaryWithoutTimings(a)));
    }
  }
}
