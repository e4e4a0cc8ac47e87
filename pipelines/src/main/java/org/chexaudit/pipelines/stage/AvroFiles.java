package org.chexaudit.pipelines.stage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.chexaudit.transforms.io.Resources;

/** Reads a stage's small Avro tables back into the client, and writes small Avro tables. */
public final class AvroFiles {
  private AvroFiles() {}

  /** The {@code *.avro} files directly in {@code dir}, sorted; fails naming {@code option} if none. */
  public static List<Path> list(Path dir, String option) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(option + ": no folder " + dir);
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> files = s.filter(p -> p.getFileName().toString().endsWith(".avro")).sorted().toList();
      if (files.isEmpty()) {
        throw new IllegalArgumentException(option + ": no *.avro files in " + dir);
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** Every record of every {@code *.avro} file in {@code dir}, file by file. */
  public static <T extends SpecificRecord> List<T> readAll(Path dir, Class<T> type, String option) {
    List<T> out = new ArrayList<>();
    for (Path f : list(dir, option)) {
      try (DataFileReader<T> in = new DataFileReader<>(f.toFile(), new SpecificDatumReader<>(type))) {
        in.forEach(out::add);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + f, e);
      }
    }
    return out;
  }

  /** Every record of one Avro file on any Beam file system (a small table a stage wrote). */
  public static <T extends SpecificRecord> List<T> read(ResourceId file, Class<T> type) {
    List<T> out = new ArrayList<>();
    try (InputStream raw = Resources.open(file);
        DataFileStream<T> in = new DataFileStream<>(raw, new SpecificDatumReader<>(type))) {
      in.forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + Resources.path(file) + ": " + e.getMessage(), e);
    }
    return out;
  }

  public static <T extends SpecificRecordBase> void write(Path file, Class<T> type, List<T> rows) {
    try (DataFileWriter<T> w = new DataFileWriter<>(new SpecificDatumWriter<>(type))) {
      w.create(rows.isEmpty() ? specificSchema(type) : rows.get(0).getSchema(), file.toFile());
      for (T r : rows) {
        w.append(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static org.apache.avro.Schema specificSchema(Class<?> type) {
    return org.apache.avro.specific.SpecificData.get().getSchema(type);
  }
}
