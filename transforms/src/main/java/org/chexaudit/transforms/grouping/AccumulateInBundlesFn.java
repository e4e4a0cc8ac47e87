package org.chexaudit.transforms.grouping;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableBiFunction;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;

/**
 * Accumulates the elements of a bundle per key and emits one accumulator per key when the bundle finishes:
 * a combiner's partial step within a bundle ({@link SumInBundles}, {@link CountInBundles},
 * {@link GroupInBundles}). Global window (batch) only.
 */
final class AccumulateInBundlesFn<T, K, A> extends DoFn<T, KV<K, A>> {
  private final SerializableFunction<T, K> key;
  /** The accumulator of a key's first element in the bundle. */
  private final SerializableFunction<T, A> first;
  /** The accumulator with one more element (may be the same, changed). */
  private final SerializableBiFunction<A, T, A> add;
  private transient Map<K, A> accumulators;

  AccumulateInBundlesFn(SerializableFunction<T, K> key, SerializableFunction<T, A> first,
      SerializableBiFunction<A, T, A> add) {
    this.key = key;
    this.first = first;
    this.add = add;
  }

  @StartBundle
  public void start() {
    accumulators = new HashMap<>();
  }

  @ProcessElement
  public void process(@Element T x, BoundedWindow window) {
    if (!(window instanceof GlobalWindow)) {
      throw new IllegalArgumentException("accumulating in bundles is for the global window (batch), got " + window);
    }
    K k = key.apply(x);
    A a = accumulators.get(k);
    accumulators.put(k, a == null ? first.apply(x) : add.apply(a, x));
  }

  @FinishBundle
  public void finish(FinishBundleContext c) {
    accumulators.forEach((k, a) -> c.output(KV.of(k, a), GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE));
    accumulators = null;
  }
}
