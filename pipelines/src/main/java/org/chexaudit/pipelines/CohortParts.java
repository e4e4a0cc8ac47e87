package org.chexaudit.pipelines;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.CoderUtils;
import org.chexaudit.transforms.grouping.CountInBundles;
import org.chexaudit.transforms.grouping.GroupInBundles;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.chexaudit.core.cohort.CohortSpec;
import org.chexaudit.core.cohort.NotebookCsv;
import org.chexaudit.core.io.CsvWriter;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.transforms.io.AvroPart;
import org.chexaudit.transforms.cohort.PatientSplit;
import org.chexaudit.transforms.io.Resources;

/**
 * Writes the cohort in parts: its records as Avro ({@code <avroPrefix>-<bucket>.avro}) and the rows of its
 * notebook-compatible CSVs (full sample, one per split, subset files), and counts the cohort for
 * {@code summary.json}; {@link CohortFiles#concatenate} then joins each CSV's parts behind its header on the
 * client, streaming.
 *
 * <p>Both list rows in the notebook's order (by demographics row, then images-CSV row), and the CSVs carry
 * each row's position in the full sample. Records are grouped in buckets of {@value #BUCKET_ROWS}
 * consecutive demographics rows: a bucket's records are sorted on one worker, and its first position is the
 * number of records in the buckets before it (counted with a combiner, passed as a small side input). So no
 * group grows with the cohort beyond a bucket, and the CSV parts, named {@code <file>/<bucket, 19
 * digits>.csv}, concatenate in name order to the bytes one sorted write gives. A patient has one
 * demographics row, so all of a patient's records fall in one bucket and the bucket's distinct patient
 * counts add up.
 *
 * <p>The Avro parts come from the same grouping: a separate {@code AvroIO} write shuffled every record once
 * more (the Direct runner copies each through its coder there), about a fifth of {@code cohort}'s CPU time
 * (issue 15). A part's name derives from its bucket, so a retried bundle replaces its own file. An empty
 * cohort writes no part; {@link #writeEmptyAvro} writes the one empty file {@code AvroIO} would.
 *
 * <p>Output: the counts of {@link CohortCounts#ofRecords}, one element per key and bucket (sum them per key).
 */
final class CohortParts extends PTransform<PCollection<CohortRecord>, PCollection<KV<List<String>, Long>>> {
  /**
   * Demographics rows per bucket (CheXpert's 65,401 rows make 4 buckets; ten times as many, 40). Each bucket is
   * a bundle in every step after the grouping, which the Direct runner pays for: CheXpert-size {@code cohort}, four
   * rounds alternated, 7.5-7.8 s with 4,096 rows a bucket against 7.3-7.6 s with 16,384 (benchmarks/README.md).
   */
  static final long BUCKET_ROWS = 16384;
  /** The bucket of records without a demographics row; sorted last, as in the notebook order. */
  static final long NO_ROW_BUCKET = Long.MAX_VALUE;

  /** How records travel through the bucket grouping. */
  private static final AvroCoder<CohortRecord> RECORD_CODER = AvroCoder.specific(CohortRecord.class);

  private final String avroPrefix;
  private final String partsDir;
  private final String prefix;
  private final CohortSpec spec;
  private final List<CohortFiles.Subset> subsets;
  private final long bucketRows;
  /** Patient id to split, or null: the records carry theirs. */
  private final PCollectionView<Map<String, String>> splits;

  private CohortParts(String avroPrefix, String partsDir, String prefix, CohortSpec spec,
      List<CohortFiles.Subset> subsets, long bucketRows, PCollectionView<Map<String, String>> splits) {
    this.avroPrefix = avroPrefix;
    this.partsDir = partsDir;
    this.prefix = prefix;
    this.spec = spec;
    this.subsets = List.copyOf(subsets);
    this.bucketRows = bucketRows;
    this.splits = splits;
  }

  /**
   * Avro parts are named {@code <avroPrefix>-<bucket>.avro}; CSV parts go under {@code partsDir}, one folder
   * per file (any Beam paths).
   */
  static CohortParts to(String avroPrefix, String partsDir, String prefix, CohortSpec spec,
      List<CohortFiles.Subset> subsets) {
    checkArgumentNotNull(avroPrefix, "CohortParts avroPrefix can not be null");
    checkArgumentNotNull(partsDir, "CohortParts partsDir can not be null");
    checkArgumentNotNull(prefix, "CohortParts prefix can not be null");
    checkArgumentNotNull(spec, "CohortParts spec can not be null");
    checkArgumentNotNull(subsets, "CohortParts subsets can not be null");
    return new CohortParts(avroPrefix, partsDir, prefix, spec, subsets, BUCKET_ROWS, null);
  }

  /** Groups {@code rows} demographics rows per bucket instead of {@value #BUCKET_ROWS}. */
  CohortParts withBucketRows(long rows) {
    if (rows < 1) {
      throw new IllegalArgumentException("CohortParts bucketRows must be >= 1, got " + rows);
    }
    return new CohortParts(avroPrefix, partsDir, prefix, spec, subsets, rows, splits);
  }

  /**
   * Sets each record's split from {@code splits} (patient id to split, {@link PatientSplit#asView}) as its
   * bucket is written, instead of in a pass of its own before the grouping.
   */
  CohortParts withSplits(PCollectionView<Map<String, String>> splits) {
    checkArgumentNotNull(splits, "CohortParts splits can not be null");
    return new CohortParts(avroPrefix, partsDir, prefix, spec, subsets, bucketRows, splits);
  }

  /** The part of the file {@code fileName} written for {@code bucket}. */
  static String partName(String fileName, long bucket) {
    return fileName + "/" + String.format("%019d", bucket) + ".csv";
  }

  /** The Avro part written for {@code bucket}. */
  static String avroPartName(String avroPrefix, long bucket) {
    return avroPrefix + "-" + String.format("%019d", bucket) + ".avro";
  }

  /** The single empty Avro file of an empty cohort (as {@code AvroIO} writes for no records). */
  static void writeEmptyAvro(String avroPrefix) {
    AvroPart.write(CohortRecord.class, avroPrefix + "-empty.avro", List.of());
  }

  static long bucketOf(CohortRecord r, long bucketRows) {
    return r.getDemoRow() == null ? NO_ROW_BUCKET : r.getDemoRow() / bucketRows;
  }

  @Override
  public PCollection<KV<List<String>, Long>> expand(PCollection<CohortRecord> cohort) {
    long rows = bucketRows;
    PCollectionView<Map<Long, Long>> sizes = cohort
        .apply("CountBuckets", CountInBundles.by((CohortRecord r) -> bucketOf(r, rows), VarLongCoder.of()))
        .apply("BucketSizes", Sum.longsPerKey())
        .apply("BucketSizesView", View.asMap());
    List<PCollectionView<?>> sideInputs = new ArrayList<>(List.of(sizes));
    if (splits != null) {
      sideInputs.add(splits);
    }
    // grouped as their Avro bytes, decoded once per bucket: the Direct runner clones grouped values through
    // their coder whenever it reads them, and as records that clone took a second of one worker (issue 15)
    return cohort
        .apply("GroupBuckets", GroupInBundles.by((CohortRecord r) -> bucketOf(r, rows), VarLongCoder.of(),
            CohortParts::encode, ByteArrayCoder.of()))
        .apply("WriteParts", ParDo.of(new WritePartsFn(this, sizes)).withSideInputs(sideInputs))
        .setCoder(KvCoder.of(ListCoder.of(StringUtf8Coder.of()), VarLongCoder.of()));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("avroPrefix", avroPrefix)).add(DisplayData.item("partsDir", partsDir)).add(DisplayData.item("prefix", prefix))
        .add(DisplayData.item("bucketRows", bucketRows));
  }

  /** A record as its bytes in {@link #RECORD_CODER}. */
  private static byte[] encode(CohortRecord r) {
    try {
      return CoderUtils.encodeToByteArray(RECORD_CODER, r);
    } catch (CoderException e) {
      throw new IllegalStateException("cannot encode " + r.getId(), e);
    }
  }

  /** Sorts one bucket, writes its Avro part and its part of every CSV it has rows for, and counts it. */
  private static final class WritePartsFn extends DoFn<KV<Long, Iterable<byte[]>>, KV<List<String>, Long>> {
    private final String avroPrefix;
    private final String partsDir;
    private final String prefix;
    private final List<CohortFiles.Subset> subsets;
    private final PCollectionView<Map<Long, Long>> sizes;
    /** Patient id to split, or null: the records carry theirs. */
    private final PCollectionView<Map<String, String>> splits;

    WritePartsFn(CohortParts spec, PCollectionView<Map<Long, Long>> sizes) {
      this.avroPrefix = spec.avroPrefix;
      this.partsDir = spec.partsDir;
      this.prefix = spec.prefix;
      this.subsets = spec.subsets;
      this.sizes = sizes;
      this.splits = spec.splits;
    }

    @ProcessElement
    public void process(ProcessContext c) throws IOException {
      long bucket = c.element().getKey();
      // per-record work in methods of its own: a process() called once per bucket runs its loops in the
      // interpreter until the JIT compiles it on the stack, thousands of records later
      List<CohortRecord> decoded = new ArrayList<>();
      for (byte[] bytes : c.element().getValue()) {
        decoded.add(decode(bytes));
      }
      List<CohortRecord> rows = CohortFiles.notebookOrder(decoded);
      if (splits != null) {
        Map<String, String> assignment = c.sideInput(splits);
        rows.replaceAll(r -> PatientSplit.withSplit(r, assignment));
      }
      AvroPart.write(CohortRecord.class, avroPartName(avroPrefix, bucket), rows);
      long position = NotebookPositions.before(c.sideInput(sizes), bucket);
      ResourceId dir = Resources.dir(partsDir);
      Map<String, Writer> open = new LinkedHashMap<>();
      try {
        for (CohortRecord r : rows) {
          writeRow(r, position++, dir, bucket, open);
        }
      } finally {
        for (Writer w : open.values()) {
          w.close();
        }
      }
      CohortCounts.ofRecords(rows).asMap().forEach((k, v) -> c.output(KV.of(k, v)));
    }

    private static CohortRecord decode(byte[] bytes) throws CoderException {
      return CoderUtils.decodeFromByteArray(RECORD_CODER, bytes);
    }

    /** Writes the CSV row of {@code r} at {@code position} to each file it belongs in, opening those not open. */
    private void writeRow(CohortRecord r, long position, ResourceId dir, long bucket, Map<String, Writer> open)
        throws IOException {
      String line = CsvWriter.line(NotebookCsv.row(r, position)); // once for all its files
      for (String file : filesOf(r)) {
        Writer w = open.get(file);
        if (w == null) {
          w = new BufferedWriter(new OutputStreamWriter(
              Resources.create(Resources.file(dir, partName(file, bucket))), StandardCharsets.UTF_8), 1 << 16);
          open.put(file, w);
        }
        w.write(line);
      }
    }

    /** The files a record is a row of: the full sample, its split's file and its split's subset files. */
    private Set<String> filesOf(CohortRecord r) {
      Set<String> files = new LinkedHashSet<>(List.of(CohortFiles.sampleFile(prefix)));
      if (r.getSplit() != null) {
        String split = r.getSplit();
        files.add(CohortFiles.splitFile(prefix, split));
        if (CohortFiles.hasSubsetFiles(split)) {
          for (CohortFiles.Subset s : subsets) {
            if (s.matches(r)) {
              files.add(CohortFiles.subsetFile(prefix, split, s));
            }
          }
        }
      }
      return files;
    }
  }
}
