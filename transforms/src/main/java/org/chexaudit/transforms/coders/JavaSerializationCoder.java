package org.chexaudit.transforms.coders;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * Java serialization, as Beam's {@code SerializableCoder}, but classes are resolved through the class
 * loader of the element's own type. On a Flink cluster that holds Beam itself and takes thin job jars,
 * Beam's coder resolves classes from the cluster's loader, which cannot see the job's classes: a shuffle
 * read by Flink's sort thread failed with {@code ClassNotFoundException: ...Resample$Stratum}. Values are
 * length-prefixed, so the coder nests safely in {@code KvCoder} and friends.
 */
public final class JavaSerializationCoder<T extends Serializable> extends CustomCoder<T> {
  private static final long serialVersionUID = 1L;
  private final Class<T> type;

  private JavaSerializationCoder(Class<T> type) {
    this.type = type;
  }

  public static <T extends Serializable> JavaSerializationCoder<T> of(Class<T> type) {
    return new JavaSerializationCoder<>(type);
  }

  @Override
  public void encode(T value, OutputStream out) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
      o.writeObject(value);
    }
    ByteArrayCoder.of().encode(bytes.toByteArray(), out);
  }

  @Override
  public T decode(InputStream in) throws IOException {
    byte[] bytes = ByteArrayCoder.of().decode(in);
    ClassLoader loader = type.getClassLoader();
    try (ObjectInputStream o = new ObjectInputStream(new ByteArrayInputStream(bytes)) {
      @Override
      protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
        try {
          return Class.forName(desc.getName(), false, loader);
        } catch (ClassNotFoundException e) {
          return super.resolveClass(desc);
        }
      }
    }) {
      return type.cast(o.readObject());
    } catch (ClassNotFoundException e) {
      throw new CoderException("cannot decode a " + type.getName() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    throw new NonDeterministicException(this, "Java serialization is not deterministic");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JavaSerializationCoder<?> c && c.type.equals(type);
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }

  @Override
  public String toString() {
    return "JavaSerializationCoder(" + type.getName() + ")";
  }
}
