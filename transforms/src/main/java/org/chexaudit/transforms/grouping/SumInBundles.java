package org.chexaudit.transforms.grouping;

import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Sums the values of each key within a bundle and emits one partial sum per key and bundle when the bundle
 * finishes: what a runner's combiner lifting does before a {@code Sum.longsPerKey()}, by hand, for runners
 * that do not lift (the Direct runner groups every input element of a combine under its key, and copies a
 * key's grouped values again for each new bundle). Sum the output per key to get the totals.
 *
 * <pre>{@code
 * counts.apply(SumInBundles.create()).apply(Sum.longsPerKey());
 * }</pre>
 *
 * <p>Batch (global window) only; the key coder must be deterministic (keys are compared with
 * {@code equals}, as in a hash map). Output uses the input's coder.
 */
public final class SumInBundles<K> extends PTransform<PCollection<KV<K, Long>>, PCollection<KV<K, Long>>> {
  private SumInBundles() {}

  public static <K> SumInBundles<K> create() {
    return new SumInBundles<>();
  }

  @Override
  public PCollection<KV<K, Long>> expand(PCollection<KV<K, Long>> counts) {
    return counts
        .apply("SumInBundle", ParDo.of(new AccumulateInBundlesFn<KV<K, Long>, K, Long>(
            KV::getKey, KV::getValue, (sum, kv) -> sum + kv.getValue())))
        .setCoder(counts.getCoder());
  }
}
