package org.chexaudit.transforms.explore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.chexaudit.core.explore.SeededSampling;

/**
 * A seeded sample of {@code size} elements per key, without replacement (the explorer's
 * {@code df[race == X].sample(n=1000)} before the KS tests, here seeded).
 *
 * <p>Each group is put in a fixed order (by the encoded bytes of its values) and drawn from with
 * a random stream derived from the seed and the encoded key, so the sample is the same on every
 * runner and parallelism. Equal values are interchangeable, so duplicates (the resampled test
 * set has many) are fine. A group smaller than {@code size} fails the run, as pandas does, unless
 * {@link #allowingSmallerGroups()} keeps such a group whole.
 */
public final class SamplePerGroup<K, V>
    extends PTransform<PCollection<KV<K, V>>, PCollection<KV<K, V>>> {
  private final int size;
  private final long seed;
  private final boolean allowSmaller;

  private SamplePerGroup(int size, long seed, boolean allowSmaller) {
    this.size = size;
    this.seed = seed;
    this.allowSmaller = allowSmaller;
  }

  /** 1,000 per group, seed 0. */
  public static <K, V> SamplePerGroup<K, V> create() {
    return new SamplePerGroup<>(1000, 0L, false);
  }

  public SamplePerGroup<K, V> withSize(int value) {
    if (value < 1) {
      throw new IllegalArgumentException("SamplePerGroup: size must be >= 1, got " + value);
    }
    return new SamplePerGroup<>(value, seed, allowSmaller);
  }

  public SamplePerGroup<K, V> withSeed(long value) {
    return new SamplePerGroup<>(size, value, allowSmaller);
  }

  public SamplePerGroup<K, V> allowingSmallerGroups() {
    return new SamplePerGroup<>(size, seed, true);
  }

  @Override
  public PCollection<KV<K, V>> expand(PCollection<KV<K, V>> input) {
    if (!(input.getCoder() instanceof KvCoder<K, V> kvCoder)) {
      throw new IllegalArgumentException(
          "SamplePerGroup needs a KvCoder input, got " + input.getCoder());
    }
    return input
        .apply("GroupByKey", GroupByKey.create())
        .apply("Sample", ParDo.of(new SampleFn<>(size, seed, allowSmaller,
            kvCoder.getKeyCoder(), kvCoder.getValueCoder())))
        .setCoder(kvCoder);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("size", size)).add(DisplayData.item("seed", seed))
        .add(DisplayData.item("allowSmallerGroups", allowSmaller));
  }

  private static final class SampleFn<K, V> extends DoFn<KV<K, Iterable<V>>, KV<K, V>> {
    private final int size;
    private final long seed;
    private final boolean allowSmaller;
    private final Coder<K> keyCoder;
    private final Coder<V> valueCoder;

    SampleFn(int size, long seed, boolean allowSmaller, Coder<K> keyCoder, Coder<V> valueCoder) {
      this.size = size;
      this.seed = seed;
      this.allowSmaller = allowSmaller;
      this.keyCoder = keyCoder;
      this.valueCoder = valueCoder;
    }

    private record Encoded<V>(byte[] bytes, V value) {}

    @ProcessElement
    public void process(ProcessContext c) throws CoderException {
      K key = c.element().getKey();
      List<Encoded<V>> values = new ArrayList<>();
      for (V v : c.element().getValue()) {
        values.add(new Encoded<>(CoderUtils.encodeToByteArray(valueCoder, v), v));
      }
      values.sort((a, b) -> Arrays.compareUnsigned(a.bytes(), b.bytes()));
      int n = size;
      if (values.size() < size) {
        if (!allowSmaller) {
          throw new IllegalArgumentException("SamplePerGroup: group " + key + " has "
              + values.size() + " elements, fewer than the sample size " + size);
        }
        n = values.size();
      }
      byte[] keyBytes = CoderUtils.encodeToByteArray(keyCoder, key);
      SplittableRandom rng = new SplittableRandom(
          seed ^ (0x9E3779B97F4A7C15L * (Arrays.hashCode(keyBytes) + 1L)));
      for (int i : SeededSampling.withoutReplacement(values.size(), n, rng)) {
        c.output(KV.of(key, values.get(i).value()));
      }
    }
  }
}
