package org.chexaudit.transforms.metrics;

import java.util.EnumMap;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.chexaudit.core.stats.SubgroupKey;
import org.chexaudit.schemas.IntervalMetric;
import org.chexaudit.schemas.MetricInterval;
import org.chexaudit.transforms.coders.SubgroupKeyCoder;

/** {@link Bootstrap} intervals as a side input looked up by {@link SubgroupKey} and metric. */
final class IntervalView {
  private IntervalView() {}

  static PCollectionView<Map<SubgroupKey, Iterable<MetricInterval>>> of(PCollection<MetricInterval> intervals) {
    return intervals
        .apply("KeyIntervals", WithKeys.of((MetricInterval m) -> key(m))
            .withKeyType(TypeDescriptor.of(SubgroupKey.class)))
        .setCoder(KvCoder.of(SubgroupKeyCoder.of(), AvroCoder.of(MetricInterval.class)))
        .apply("IntervalView", View.asMultimap());
  }

  static SubgroupKey key(MetricInterval m) {
    return new SubgroupKey(m.getLabel().toString(), m.getAttribute().toString(), m.getGroup().toString());
  }

  /** The intervals of one key by metric; null when the key has none. */
  static Map<IntervalMetric, MetricInterval> byMetric(Iterable<MetricInterval> intervals) {
    if (intervals == null) {
      return null;
    }
    Map<IntervalMetric, MetricInterval> out = new EnumMap<>(IntervalMetric.class);
    intervals.forEach(m -> out.put(m.getMetric(), m));
    return out.isEmpty() ? null : out;
  }
}
