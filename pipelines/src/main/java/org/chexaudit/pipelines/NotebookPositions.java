package org.chexaudit.pipelines;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.chexaudit.transforms.grouping.LiftedCount;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.Keys;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.transforms.resample.Resample;

/**
 * The positions of one split's records in the cohort's notebook files: in {@code chexpert.sample.csv} (all
 * records) and in the split's own file, both in the notebook's order. Output, for the records of the split:
 * {@link Resample#rowBucket} to ({@link Resample#rowKey}, (sample position, split position)), keyed by
 * bucket so that joins with it have few keys.
 *
 * <p>Ranked without a global sort, as {@link CohortParts} does: records are grouped in buckets of
 * consecutive demographics rows, each bucket's first positions are the counts of the buckets before it.
 */
final class NotebookPositions
    extends PTransform<PCollection<CohortRecord>, PCollection<KV<Long, KV<String, KV<Long, Long>>>>> {
  private final String split;
  private final long bucketRows;

  private NotebookPositions(String split, long bucketRows) {
    this.split = split;
    this.bucketRows = bucketRows;
  }

  static NotebookPositions ofSplit(String split) {
    checkArgumentNotNull(split, "NotebookPositions split can not be null");
    return new NotebookPositions(split, CohortParts.BUCKET_ROWS);
  }

  /** Groups {@code rows} demographics rows per bucket. */
  NotebookPositions withBucketRows(long rows) {
    if (rows < 1) {
      throw new IllegalArgumentException("NotebookPositions bucketRows must be >= 1, got " + rows);
    }
    return new NotebookPositions(split, rows);
  }

  @Override
  public PCollection<KV<Long, KV<String, KV<Long, Long>>>> expand(PCollection<CohortRecord> cohort) {
    long rows = bucketRows;
    PCollection<KV<Long, CohortRecord>> keyed = cohort
        .apply("ByDemoRowBucket", WithKeys.of((CohortRecord r) -> CohortParts.bucketOf(r, rows))
            .withKeyType(TypeDescriptors.longs()))
        .setCoder(KvCoder.of(VarLongCoder.of(), AvroCoder.specific(CohortRecord.class)));
    PCollectionView<Map<Long, Long>> allSizes = keyed
        .apply("Buckets", Keys.create())
        .apply("BucketSizes", LiftedCount.perElement())
        .apply("BucketSizesView", View.asMap());
    String s = split;
    PCollectionView<Map<Long, Long>> splitSizes = keyed
        .apply("OfSplit", Filter.by((KV<Long, CohortRecord> kv) -> s.equals(kv.getValue().getSplit())))
        .apply("SplitBuckets", Keys.create())
        .apply("SplitBucketSizes", LiftedCount.perElement())
        .apply("SplitBucketSizesView", View.asMap());
    return keyed
        .apply("GroupBuckets", GroupByKey.create())
        .apply("Rank", ParDo.of(new RankFn(split, allSizes, splitSizes)).withSideInputs(allSizes, splitSizes))
        .setCoder(KvCoder.of(VarLongCoder.of(),
            KvCoder.of(StringUtf8Coder.of(), KvCoder.of(VarLongCoder.of(), VarLongCoder.of()))));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("split", split)).add(DisplayData.item("bucketRows", bucketRows));
  }

  /** The number of records in the buckets before {@code bucket}. */
  static long before(Map<Long, Long> sizes, long bucket) {
    long n = 0;
    for (Map.Entry<Long, Long> e : sizes.entrySet()) {
      if (e.getKey() < bucket) {
        n += e.getValue();
      }
    }
    return n;
  }

  private static final class RankFn
      extends DoFn<KV<Long, Iterable<CohortRecord>>, KV<Long, KV<String, KV<Long, Long>>>> {
    private final String split;
    private final PCollectionView<Map<Long, Long>> allSizes;
    private final PCollectionView<Map<Long, Long>> splitSizes;

    RankFn(String split, PCollectionView<Map<Long, Long>> allSizes, PCollectionView<Map<Long, Long>> splitSizes) {
      this.split = split;
      this.allSizes = allSizes;
      this.splitSizes = splitSizes;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      long bucket = c.element().getKey();
      List<CohortRecord> rows = CohortFiles.notebookOrder(c.element().getValue());
      long samplePosition = before(c.sideInput(allSizes), bucket);
      long splitPosition = before(c.sideInput(splitSizes), bucket);
      for (CohortRecord r : rows) {
        if (split.equals(r.getSplit())) {
          c.output(KV.of(Resample.rowBucket(r.getRowIndex()),
              KV.of(Resample.rowKey(r), KV.of(samplePosition, splitPosition++))));
        }
        samplePosition++;
      }
    }
  }
}
