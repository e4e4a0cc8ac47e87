package org.chexaudit.transforms.grouping;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * {@link Count#perElement} and {@link Count#globally} with the partial counts made in each bundle first
 * ({@link CountInBundles}): the same totals, but the Direct runner, which does not lift combiners, groups a
 * few partial counts per bundle instead of every element (and copies a key's grouped elements again for
 * each new bundle). Other runners lift combiners themselves; there this costs one more cheap step.
 * Batch (global window) only.
 */
public final class LiftedCount {
  private LiftedCount() {}

  /** The number of times each distinct element occurs; the element coder must be deterministic. */
  public static <T> PTransform<PCollection<T>, PCollection<KV<T, Long>>> perElement() {
    return new PTransform<>() {
      @Override
      public PCollection<KV<T, Long>> expand(PCollection<T> elements) {
        Coder<T> coder = elements.getCoder();
        return elements
            .apply("CountInBundles", CountInBundles.by((T x) -> x, coder))
            .apply("Sum", Sum.longsPerKey());
      }
    };
  }

  /** The number of elements, 0 for none. */
  public static <T> PTransform<PCollection<T>, PCollection<Long>> globally() {
    return new PTransform<>() {
      @Override
      public PCollection<Long> expand(PCollection<T> elements) {
        return elements
            .apply("CountInBundles", CountInBundles.by((T x) -> 0, VarIntCoder.of()))
            .apply("Partial", Values.create())
            .apply("Sum", Sum.longsGlobally());
      }
    };
  }
}
