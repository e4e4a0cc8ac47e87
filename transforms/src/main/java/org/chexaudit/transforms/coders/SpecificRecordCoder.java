package org.chexaudit.transforms.coders;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Coder for a generated Avro record class: the same bytes as {@code AvroCoder.of(type)} (Avro binary
 * encoding, no header), but serialised as the class alone. The Direct runner re-translates a ParDo,
 * serialising and deserialising every coder of its inputs and outputs, for each bundle it runs (several
 * times per bundle); an {@code AvroCoder} carries its schema and re-parses it on deserialisation, 2-6 ms
 * per round trip on this machine, which made a fixed per-bundle cost of preprocess. This one takes
 * microseconds. Not deterministic (records may hold maps), so it is not for keys.
 */
public final class SpecificRecordCoder<T extends SpecificRecord> extends CustomCoder<T> {
  private final Class<T> type;
  // built lazily on each worker; Avro's datum readers and writers are used one thread at a time
  private transient ThreadLocal<SpecificDatumWriter<T>> writer;
  private transient ThreadLocal<SpecificDatumReader<T>> reader;

  private SpecificRecordCoder(Class<T> type) {
    this.type = type;
  }

  public static <T extends SpecificRecord> SpecificRecordCoder<T> of(Class<T> type) {
    return new SpecificRecordCoder<>(Objects.requireNonNull(type, "SpecificRecordCoder type can not be null"));
  }

  @Override
  public void encode(T value, OutputStream out) throws IOException {
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    writer().get().write(value, encoder);
    encoder.flush();
  }

  @Override
  public T decode(InputStream in) throws IOException {
    BinaryDecoder decoder = DecoderFactory.get().directBinaryDecoder(in, null);
    return reader().get().read(null, decoder);
  }

  private ThreadLocal<SpecificDatumWriter<T>> writer() {
    if (writer == null) {
      writer = ThreadLocal.withInitial(() -> new SpecificDatumWriter<>(type));
    }
    return writer;
  }

  private ThreadLocal<SpecificDatumReader<T>> reader() {
    if (reader == null) {
      reader = ThreadLocal.withInitial(() -> new SpecificDatumReader<>(type));
    }
    return reader;
  }

  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    throw new NonDeterministicException(this, type.getName() + " may hold maps, whose encoding order is not fixed");
  }

  @Override
  public TypeDescriptor<T> getEncodedTypeDescriptor() {
    return TypeDescriptor.of(type);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpecificRecordCoder<?> c && c.type.equals(type);
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }

  @Override
  public String toString() {
    return "SpecificRecordCoder(" + type.getName() + ")";
  }
}
