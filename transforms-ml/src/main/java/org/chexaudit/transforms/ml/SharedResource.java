package org.chexaudit.transforms.ml;

import java.util.HashMap;
import java.util.Map;

/**
 * One value per key per JVM, shared by everyone who {@link #acquire}s it and closed when the last one
 * {@link #release}s it: a worker's DoFn instances (one per slot or thread) then share one loaded model
 * instead of loading one each. Loading happens under the registry's lock, so two instances that set up at
 * once load the value once.
 */
final class SharedResource<K, V extends AutoCloseable> {
  /** Loads the value of a key; called once per key until every holder has released it. */
  interface Loader<K, V> {
    V load(K key) throws Exception;
  }

  private static final class Entry<V> {
    final V value;
    int holders;

    Entry(V value) {
      this.value = value;
    }
  }

  private final Loader<K, V> loader;
  private final Map<K, Entry<V>> entries = new HashMap<>();

  SharedResource(Loader<K, V> loader) {
    this.loader = loader;
  }

  /** The value of {@code key}, loaded on the first call; every call must be paired with {@link #release}. */
  synchronized V acquire(K key) throws Exception {
    Entry<V> e = entries.get(key);
    if (e == null) {
      e = new Entry<>(loader.load(key));
      entries.put(key, e);
    }
    e.holders++;
    return e.value;
  }

  /** Gives back one hold on {@code key}; the last one closes the value. */
  synchronized void release(K key) throws Exception {
    Entry<V> e = entries.get(key);
    if (e == null) {
      throw new IllegalStateException("release of " + key + " without a matching acquire");
    }
    if (--e.holders == 0) {
      entries.remove(key);
      e.value.close();
    }
  }

  /** How many holders {@code key} has now (0 when it is not loaded). */
  synchronized int holders(K key) {
    Entry<V> e = entries.get(key);
    return e == null ? 0 : e.holders;
  }
}
