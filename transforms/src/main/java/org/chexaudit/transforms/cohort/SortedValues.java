package org.chexaudit.transforms.cohort;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The values of one key of a multimap side input, in a fixed order (the view's own order is the runner's). */
final class SortedValues {
  private SortedValues() {}

  /** The values of {@code key} sorted by {@code order}; empty when the multimap does not hold the key. */
  static <K, V> List<V> of(Map<K, Iterable<V>> multimap, K key, Comparator<V> order) {
    List<V> values = new ArrayList<>();
    Iterable<V> listed = multimap.get(key);
    if (listed != null) {
      listed.forEach(values::add);
    }
    values.sort(order);
    return values;
  }
}
