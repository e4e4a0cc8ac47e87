package org.chexaudit.transforms.metrics;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * Gathers a key's inputs in a list and combines them once, at the end: for values whose merge costs
 * the size of the result (histograms, row blocks), merging two at a time copies the growing result at
 * every merge.
 */
final class GatherCombineFn<T> extends Combine.CombineFn<T, List<T>, T> {
  private final Coder<T> coder;
  private final SerializableFunction<List<T>, T> combine;

  GatherCombineFn(Coder<T> coder, SerializableFunction<List<T>, T> combine) {
    this.coder = coder;
    this.combine = combine;
  }

  @Override
  public List<T> createAccumulator() {
    return new ArrayList<>();
  }

  @Override
  public List<T> addInput(List<T> parts, T part) {
    parts.add(part);
    return parts;
  }

  @Override
  public List<T> mergeAccumulators(Iterable<List<T>> accumulators) {
    List<T> out = new ArrayList<>();
    accumulators.forEach(out::addAll);
    return out;
  }

  @Override
  public T extractOutput(List<T> parts) {
    return combine.apply(parts);
  }

  @Override
  public Coder<List<T>> getAccumulatorCoder(CoderRegistry registry, Coder<T> input) {
    return ListCoder.of(coder);
  }

  /** The output is one T: its coder cannot be inferred from the erased type parameter. */
  @Override
  public Coder<T> getDefaultOutputCoder(CoderRegistry registry, Coder<T> input) {
    return coder;
  }
}
