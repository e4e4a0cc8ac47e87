package org.chexaudit.pipelines;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.chexaudit.transforms.io.Resources;

/**
 * Writes one part of a CSV that is built in parts: the part's rendered lines, keyed by their position in
 * the whole file, sorted by position (then text), into {@code partsDir/fileName/<part>.csv}. The parts are
 * concatenated in name order afterwards by streaming; a part is small enough to sort on one worker.
 */
final class WriteSortedCsvPartFn extends DoFn<KV<String, Iterable<KV<Long, String>>>, Void> {
  private final String partsDir;
  private final String fileName;

  WriteSortedCsvPartFn(String partsDir, String fileName) {
    this.partsDir = partsDir;
    this.fileName = fileName;
  }

  @ProcessElement
  public void process(@Element KV<String, Iterable<KV<Long, String>>> part) {
    List<KV<Long, String>> rows = new ArrayList<>();
    part.getValue().forEach(rows::add);
    rows.sort(Comparator.comparing((KV<Long, String> kv) -> kv.getKey()).thenComparing(KV::getValue));
    var file = Resources.file(Resources.dir(partsDir), fileName + "/" + part.getKey() + ".csv");
    try (OutputStream out = new java.io.BufferedOutputStream(Resources.create(file), 1 << 16)) {
      for (KV<Long, String> row : rows) {
        out.write(row.getValue().getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
