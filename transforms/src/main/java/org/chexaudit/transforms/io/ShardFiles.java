package org.chexaudit.transforms.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.beam.sdk.io.FileSystems;
import org.chexaudit.schemas.ImageExample;
import org.chexaudit.schemas.TrustedSchemas;

/** Reads {@link ImageExample} Avro shards through Beam's file systems (local, or any registered one). */
public final class ShardFiles {
  private ShardFiles() {}

  /** Calls {@code sink} with each record of {@code path}, in file order. */
  public static void forEach(String path, Consumer<ImageExample> sink) {
    TrustedSchemas.install();
    try (InputStream in = Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(path, false)));
        DataFileStream<ImageExample> records = new DataFileStream<>(in, new SpecificDatumReader<>(ImageExample.class))) {
      for (ImageExample e : records) {
        sink.accept(e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read image shard " + path + ": " + e.getMessage(), e);
    }
  }

  /** The first record of {@code path}, or null when it holds none. */
  public static ImageExample first(String path) {
    TrustedSchemas.install();
    try (InputStream in = Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(path, false)));
        DataFileStream<ImageExample> records = new DataFileStream<>(in, new SpecificDatumReader<>(ImageExample.class))) {
      return records.hasNext() ? records.next() : null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read image shard " + path + ": " + e.getMessage(), e);
    }
  }

  public static List<ImageExample> readAll(String path) {
    List<ImageExample> out = new ArrayList<>();
    forEach(path, out::add);
    return out;
  }
}
