package org.chexaudit.transforms.grouping;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * {@link Count#perElement} and {@link Count#globally} with the partial counts made in each bundle first
 * ({@link SumInBundles}): the same totals, but the Direct runner, which does not lift combiners, groups a
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
            .apply("One", ParDo.of(new OneFn<T, T>(x -> x)))
            .setCoder(KvCoder.of(coder, VarLongCoder.of()))
            .apply("SumInBundles", SumInBundles.create())
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
            .apply("One", ParDo.of(new OneFn<T, Integer>(x -> 0)))
            .setCoder(KvCoder.of(VarIntCoder.of(), VarLongCoder.of()))
            .apply("SumInBundles", SumInBundles.create())
            .apply("Partial", Values.create())
            .apply("Sum", Sum.longsGlobally());
      }
    };
  }

  /** Each element as a count of one under the key {@code key} gives it. */
  private static final class OneFn<T, K> extends DoFn<T, KV<K, Long>> {
    private final SerializableFunction<T, K> key;

    OneFn(SerializableFunction<T, K> key) {
      this.key = key;
    }

    @ProcessElement
    public void process(@Element T x, OutputReceiver<KV<K, Long>> out) {
      out.output(KV.of(key.apply(x), 1L));
    }
  }
}
