package org.chexaudit.models;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * A bounded shuffle of a stream (as {@code tf.data}'s {@code shuffle(buffer)}): the first
 * {@code capacity} elements fill the buffer; then each next element is drawn uniformly from the buffer
 * and its slot refilled from the stream; at the end the rest is shuffled and handed out. Memory is
 * {@code capacity} elements whatever the stream's length; a stream no longer than {@code capacity}
 * comes out as a uniform random permutation. The same {@code rng} seed gives the same order; with a
 * {@code canonical} order, what is left at the end is put in that order before it is shuffled, so a stream
 * that fits in the buffer comes out the same whatever order it arrived in (a data set whose shards hold
 * its examples in another order, as two runs of a pipeline write them).
 */
final class ShuffleBuffer<T> implements Iterator<T> {
  private final Iterator<T> in;
  private final int capacity;
  private final SplittableRandom rng;
  private final List<T> buffer;
  private final Comparator<? super T> canonical;
  private boolean draining;
  private int drained;

  private ShuffleBuffer(Iterator<T> in, int capacity, SplittableRandom rng, Comparator<? super T> canonical) {
    if (capacity < 1) {
      throw new IllegalArgumentException("ShuffleBuffer capacity must be >= 1, got " + capacity);
    }
    this.in = in;
    this.capacity = capacity;
    this.rng = rng;
    this.canonical = canonical;
    this.buffer = new ArrayList<>(Math.min(capacity, 4096));
  }

  static <T> ShuffleBuffer<T> of(Iterator<T> in, int capacity, SplittableRandom rng) {
    return new ShuffleBuffer<>(in, capacity, rng, null);
  }

  /** As {@link #of(Iterator, int, SplittableRandom)}; the rest is put in {@code canonical} order before its shuffle. */
  static <T> ShuffleBuffer<T> of(Iterator<T> in, int capacity, SplittableRandom rng, Comparator<? super T> canonical) {
    return new ShuffleBuffer<>(in, capacity, rng, canonical);
  }

  @Override
  public boolean hasNext() {
    fill();
    return drained < buffer.size();
  }

  @Override
  public T next() {
    fill();
    if (draining) {
      if (drained >= buffer.size()) {
        throw new NoSuchElementException();
      }
      T out = buffer.get(drained);
      buffer.set(drained++, null);
      return out;
    }
    int j = rng.nextInt(buffer.size());
    T out = buffer.get(j);
    buffer.set(j, in.next());
    return out;
  }

  /**
   * Fills the buffer; once the stream is exhausted, shuffles what is left (Fisher-Yates from the end, as
   * {@link ImageData#permutation}) to be handed out in order: a stream that fits in the buffer is permuted
   * exactly as a whole in-memory shuffle with the same generator would.
   */
  private void fill() {
    if (draining) {
      return;
    }
    while (buffer.size() < capacity && in.hasNext()) {
      buffer.add(in.next());
    }
    if (in.hasNext()) {
      return;
    }
    draining = true;
    if (canonical != null) {
      buffer.sort(canonical);
    }
    for (int i = buffer.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      T t = buffer.get(i);
      buffer.set(i, buffer.get(j));
      buffer.set(j, t);
    }
  }
}
