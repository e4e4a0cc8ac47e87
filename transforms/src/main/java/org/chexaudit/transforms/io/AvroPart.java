package org.chexaudit.transforms.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Writes one Avro container file of specific records from inside a DoFn, on any Beam file system, with
 * {@code AvroIO}'s default codec (snappy). For transforms that already hold a group of records in their
 * final order: writing the group as a part under a name derived from its key costs no extra shuffle, and a
 * retried bundle rewrites the same file.
 */
public final class AvroPart {
  private AvroPart() {}

  /** Writes {@code rows} to {@code file} (replacing it); an empty {@code rows} writes a valid empty file. */
  public static <T extends SpecificRecordBase> void write(Class<T> type, String file, Iterable<T> rows) {
    try (OutputStream raw = Resources.create(Resources.file(file));
        DataFileWriter<T> w = new DataFileWriter<>(new SpecificDatumWriter<>(type))) {
      w.setCodec(CodecFactory.snappyCodec());
      w.create(SpecificData.get().getSchema(type), raw);
      for (T r : rows) {
        w.append(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
