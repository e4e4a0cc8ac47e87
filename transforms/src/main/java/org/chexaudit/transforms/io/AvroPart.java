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
    try (Writer<T> w = open(type, file)) {
      for (T r : rows) {
        w.append(r);
      }
    }
  }

  /** Opens {@code file} (replacing it) for records appended one at a time; closing it completes the file. */
  public static <T extends SpecificRecordBase> Writer<T> open(Class<T> type, String file) {
    OutputStream raw;
    try {
      raw = Resources.create(Resources.file(file));
    } catch (IOException e) {
      throw failure(file, e);
    }
    DataFileWriter<T> w = new DataFileWriter<>(new SpecificDatumWriter<>(type));
    try {
      w.setCodec(CodecFactory.snappyCodec());
      w.create(SpecificData.get().getSchema(type), raw);
    } catch (IOException | RuntimeException e) {
      try {
        raw.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw failure(file, e);
    }
    return new Writer<>(file, w);
  }

  private static RuntimeException failure(String file, Exception e) {
    if (e instanceof IOException io) {
      return new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), io);
    }
    return (RuntimeException) e;
  }

  /** An open part: records are appended in the order they come. */
  public static final class Writer<T> implements AutoCloseable {
    private final String file;
    private final DataFileWriter<T> out;

    private Writer(String file, DataFileWriter<T> out) {
      this.file = file;
      this.out = out;
    }

    public void append(T record) {
      try {
        out.append(record);
      } catch (IOException e) {
        throw failure(file, e);
      }
    }

    @Override
    public void close() {
      try {
        out.close();
      } catch (IOException e) {
        throw failure(file, e);
      }
    }
  }
}
