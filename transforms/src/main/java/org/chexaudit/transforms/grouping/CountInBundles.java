package org.chexaudit.transforms.grouping;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Counts the elements under the key {@code key} gives each, within a bundle: one partial count per key and
 * bundle, emitted when the bundle finishes. Sum the output per key ({@code Sum.longsPerKey()}) for the totals.
 *
 * <pre>{@code
 * rejected.apply(CountInBundles.by(KV::getKey, StringUtf8Coder.of())).apply(Sum.longsPerKey());
 * }</pre>
 *
 * <p>One step where keying each element as a count of one and {@link SumInBundles} are two: the Direct runner
 * pays a fixed cost per element in every step (it updates its metrics after each one), a large part of a
 * command that counts a few hundred thousand records several ways (issue 15). Batch (global window) only;
 * keys are compared with {@code equals}, so {@code keyCoder} must be deterministic.
 */
public final class CountInBundles<T, K> extends PTransform<PCollection<T>, PCollection<KV<K, Long>>> {
  private final SerializableFunction<T, K> key;
  private final Coder<K> keyCoder;

  private CountInBundles(SerializableFunction<T, K> key, Coder<K> keyCoder) {
    this.key = key;
    this.keyCoder = keyCoder;
  }

  public static <T, K> CountInBundles<T, K> by(SerializableFunction<T, K> key, Coder<K> keyCoder) {
    checkArgumentNotNull(key, "CountInBundles key can not be null");
    checkArgumentNotNull(keyCoder, "CountInBundles keyCoder can not be null");
    return new CountInBundles<>(key, keyCoder);
  }

  @Override
  public PCollection<KV<K, Long>> expand(PCollection<T> elements) {
    return elements
        .apply("CountInBundle", ParDo.of(new AccumulateInBundlesFn<T, K, Long>(key, x -> 1L, (n, x) -> n + 1)))
        .setCoder(KvCoder.of(keyCoder, VarLongCoder.of()));
  }
}
