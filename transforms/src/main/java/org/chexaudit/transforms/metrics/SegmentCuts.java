package org.chexaudit.transforms.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.chexaudit.core.stats.ScoreSegments;
import org.chexaudit.core.stats.SegmentLayout;
import org.chexaudit.core.stats.ScoredRowBatch;
import org.chexaudit.transforms.coders.JavaSerializationCoder;
import org.chexaudit.transforms.coders.LongArrayCoder;

/**
 * Per label, the {@link SegmentLayout} of the whole set's scores: exact counts per score bucket,
 * pre-counted per batch of rows and merged per label (a record of at most one pair per occupied bucket), then
 * cut into segments of about {@code target} scores. A map from label to its layout.
 */
final class SegmentCuts extends PTransform<PCollection<ScoredRowBatch>, PCollectionView<Map<String, SegmentLayout>>> {
  private final List<String> labels;
  private final long target;

  SegmentCuts(List<String> labels, long target) {
    this.labels = labels;
    this.target = target;
  }

  @Override
  public PCollectionView<Map<String, SegmentLayout>> expand(PCollection<ScoredRowBatch> rows) {
    return rows
        .apply("CountBuckets", ParDo.of(new CountBucketsFn(labels)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), LongArrayCoder.of()))
        .apply("MergeCounts", Combine.perKey(new MergeCountsFn()))
        .apply("Cut", ParDo.of(new CutFn(target)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), JavaSerializationCoder.of(SegmentLayout.class)))
        .apply("CutView", View.asMap());
  }

  /** (segment, value) pairs from the highest segment down: the order a curve is walked in. */
  static <T> List<KV<Integer, T>> highestFirst(Iterable<KV<Integer, T>> segments) {
    List<KV<Integer, T>> out = new java.util.ArrayList<>();
    segments.forEach(out::add);
    out.sort(java.util.Comparator.comparing((KV<Integer, T> kv) -> kv.getKey()).reversed());
    return out;
  }


  /** Per label, a batch's scores as (bucket, count) pairs: a record of at most one pair per occupied bucket. */
  private static final class CountBucketsFn extends DoFn<ScoredRowBatch, KV<String, long[]>> {
    private final List<String> labels;

    CountBucketsFn(List<String> labels) {
      this.labels = labels;
    }

    @ProcessElement
    public void process(@Element ScoredRowBatch batch, OutputReceiver<KV<String, long[]>> out) {
      GroupedScoresFn.checkWidth(batch, labels);
      int n = batch.size();
      int[] buckets = new int[n];
      for (int l = 0; l < labels.size(); l++) {
        for (int i = 0; i < n; i++) {
          buckets[i] = ScoreSegments.bucket(batch.score(l, i));
        }
        out.output(KV.of(labels.get(l), ScoreSegments.bucketCounts(buckets, n)));
      }
    }
  }

  private static final class MergeCountsFn extends Combine.BinaryCombineFn<long[]> {
    @Override
    public long[] apply(long[] a, long[] b) {
      long[] out = new long[a.length + b.length];
      int i = 0;
      int j = 0;
      int k = 0;
      while (i < a.length || j < b.length) {
        long bucket = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
        long count = 0;
        if (i < a.length && a[i] == bucket) {
          count += a[i + 1];
          i += 2;
        }
        if (j < b.length && b[j] == bucket) {
          count += b[j + 1];
          j += 2;
        }
        out[k++] = bucket;
        out[k++] = count;
      }
      return Arrays.copyOf(out, k);
    }
  }

  private static final class CutFn extends DoFn<KV<String, long[]>, KV<String, SegmentLayout>> {
    private final long target;

    CutFn(long target) {
      this.target = target;
    }

    @ProcessElement
    public void process(@Element KV<String, long[]> e, OutputReceiver<KV<String, SegmentLayout>> out) {
      out.output(KV.of(e.getKey(), SegmentLayout.ofBucketCounts(e.getValue(), target)));
    }
  }
}
