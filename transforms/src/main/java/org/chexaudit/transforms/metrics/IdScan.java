package org.chexaudit.transforms.metrics;

import org.chexaudit.transforms.io.Resources;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.function.BiConsumer;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.chexaudit.transforms.io.AvroColumns;
import org.chexaudit.transforms.io.CsvLine;
import org.chexaudit.transforms.io.FileRange;
import org.chexaudit.transforms.io.RowPlace;
import org.chexaudit.transforms.io.TextRangeReader;

/**
 * Every row's id and place in the files of a pattern, read sequentially: the slow path of the
 * duplicate-id check, run only once two ids hashed alike, to name the rows.
 */
final class IdScan {
  private IdScan() {}

  static void scan(String pattern, boolean avro, ScoredRowColumns.Bound bound, BiConsumer<String, RowPlace> ids)
      throws IOException {
    for (MatchResult.Metadata m : FileSystems.match(Resources.matchSpec(pattern), EmptyMatchTreatment.ALLOW).metadata()) {
      String file = m.resourceId().toString();
      if (avro) {
        try (InputStream in = Channels.newInputStream(FileSystems.open(m.resourceId()));
            DataFileStream<GenericRecord> records = new DataFileStream<>(in, new GenericDatumReader<>())) {
          AvroColumns columns = AvroColumns.of(file);
          long n = 0;
          while (records.hasNext()) {
            GenericRecord r = records.next();
            n++;
            ids.accept(bound.id(i -> columns.text(r, i), n), RowPlace.record(file, n));
          }
        }
      } else {
        CsvLine line = new CsvLine();
        long[] number = {0};
        TextRangeReader.read(new FileRange(file, 0, m.sizeBytes()), (offset, buf, from, to) -> {
          number[0]++;
          if (offset > 0 && from < to && line.split(buf, from, to)) {
            ids.accept(bound.id(line::text, number[0]), RowPlace.line(file, offset));
          }
        });
      }
    }
  }
}
