package org.chexaudit.models;

import java.util.Arrays;
import java.util.Objects;

/** A named float array in C order: one weight, buffer or optimizer slot, in PyTorch layout. */
public record NamedArray(String name, long[] shape, float[] values) {
  public NamedArray {
    Objects.requireNonNull(name, "name");
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (n != values.length) {
      throw new IllegalArgumentException(
          name + ": shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
    }
  }

  public long size() {
    return values.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NamedArray a && a.name.equals(name) && Arrays.equals(a.shape, shape)
        && Arrays.equals(a.values, values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, Arrays.hashCode(shape), Arrays.hashCode(values));
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape);
  }
}
