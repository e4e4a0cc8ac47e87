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
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.chexaudit.core.stats.ScoreSegments;
import org.chexaudit.core.stats.SegmentLayout;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.transforms.coders.JavaSerializationCoder;
import org.chexaudit.transforms.coders.LongArrayCoder;

/**
 * Per label, the {@link SegmentLayout} of the whole set's scores: exact counts per score bucket,
 * pre-counted per bundle and merged per label (a record of at most one pair per occupied bucket), then
 * cut into segments of about {@code target} scores. A map from label to its layout.
 */
final class SegmentCuts extends PTransform<PCollection<ScoredRow>, PCollectionView<Map<String, SegmentLayout>>> {
  /** Rows a bundle buffers before counting them. */
  private static final int FLUSH_ROWS = 1 << 16;
  private final List<String> labels;
  private final long target;

  SegmentCuts(List<String> labels, long target) {
    this.labels = labels;
    this.target = target;
  }

  @Override
  public PCollectionView<Map<String, SegmentLayout>> expand(PCollection<ScoredRow> rows) {
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


  private static final class CountBucketsFn extends DoFn<ScoredRow, KV<String, long[]>> {
    private final List<String> labels;
    private transient int[][] buckets;
    private transient int n;

    CountBucketsFn(List<String> labels) {
      this.labels = labels;
    }

    @StartBundle
    public void startBundle() {
      buckets = new int[labels.size()][FLUSH_ROWS];
      n = 0;
    }

    @ProcessElement
    public void process(@Element ScoredRow row, OutputReceiver<KV<String, long[]>> out) {
      GroupedScoresFn.checkWidth(row, labels);
      for (int l = 0; l < labels.size(); l++) {
        buckets[l][n] = ScoreSegments.bucket(row.score(l));
      }
      if (++n == FLUSH_ROWS) {
        for (int l = 0; l < labels.size(); l++) {
          out.output(KV.of(labels.get(l), ScoreSegments.bucketCounts(buckets[l], n)));
        }
        n = 0;
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      if (n > 0) {
        for (int l = 0; l < labels.size(); l++) {
          c.output(KV.of(labels.get(l), ScoreSegments.bucketCounts(buckets[l], n)), BoundedWindow.TIMESTAMP_MIN_VALUE,
              GlobalWindow.INSTANCE);
        }
      }
      buckets = null;
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
