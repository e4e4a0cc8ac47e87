package org.chexaudit.transforms.grouping;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;

/**
 * Adds up an amount per key over the elements of a bundle and emits one partial sum per key when the bundle
 * finishes ({@link SumInBundles}, {@link CountInBundles}). Global window (batch) only.
 */
final class AddInBundlesFn<T, K> extends DoFn<T, KV<K, Long>> {
  private final SerializableFunction<T, K> key;
  private final SerializableFunction<T, Long> amount;
  private transient Map<K, Long> sums;

  AddInBundlesFn(SerializableFunction<T, K> key, SerializableFunction<T, Long> amount) {
    this.key = key;
    this.amount = amount;
  }

  @StartBundle
  public void start() {
    sums = new HashMap<>();
  }

  @ProcessElement
  public void process(@Element T x, BoundedWindow window) {
    if (!(window instanceof GlobalWindow)) {
      throw new IllegalArgumentException("partial sums in bundles are for the global window (batch), got " + window);
    }
    sums.merge(key.apply(x), amount.apply(x), Long::sum);
  }

  @FinishBundle
  public void finish(FinishBundleContext c) {
    sums.forEach((k, v) -> c.output(KV.of(k, v), GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE));
    sums = null;
  }
}
