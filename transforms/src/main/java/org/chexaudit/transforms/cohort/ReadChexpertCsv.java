package org.chexaudit.transforms.cohort;

import org.chexaudit.transforms.io.Resources;
import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.chexaudit.transforms.coders.JavaSerializationCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTagList;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.core.cohort.CohortSpec;
import org.chexaudit.core.cohort.DeadLetters;
import org.chexaudit.transforms.cohort.Filtered;
import org.chexaudit.core.cohort.ImageRowParser;
import org.chexaudit.core.io.CsvFile;
import org.chexaudit.core.io.CsvRanges;
import org.chexaudit.core.io.CsvReader;
import org.chexaudit.core.io.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an images CSV in CheXpert's {@code train.csv} layout into {@link CohortRecord}s, one per row,
 * keyed by the row's 0-based index (which the chexploration split file refers to).
 *
 * <p>One worker cuts the file into ranges of whole records ({@link CsvRanges}: one pass over the bytes,
 * following the CSV quoting rules, counting the records before each range), and the ranges are parsed in
 * parallel, each numbering its rows from the count before it: the same index and line for every row as one
 * reader of the whole file gives. On the Direct runner each range also travels as a bundle of its own
 * through the steps after it, so they use every worker (issue 15). The records are redistributed
 * afterwards unless {@link #withoutSpread}. Rows that cannot be parsed (wrong field count, malformed path,
 * unknown label value, non-numeric age, undecodable bytes) become dead letters with their line number; a
 * quoted field never closed ends the file's reading as a dead letter; a missing file or a header without a
 * required column fails the pipeline with a message naming the file and the columns.
 *
 * <pre>{@code
 * Filtered images = p.apply("ReadImages", ReadChexpertCsv.from("/data/CheXpert-v1.0/train.csv"));
 * }</pre>
 */
public final class ReadChexpertCsv extends PTransform<PBegin, Filtered> {
  public static final String STAGE = "ReadChexpertCsv";
  /**
   * Keys the parsed rows are spread over by default: enough for the workers of a large Flink job, and
   * far fewer than rows, since the Direct runner makes one bundle per key and pays a cost per bundle.
   */
  public static final int DEFAULT_SPREAD_BUCKETS = 32;
  private static final int NO_SPREAD = 0;
  /**
   * Size of the ranges the file is parsed in by default: CheXpert's 23 MB make six, a few per worker of a
   * Direct run; ten times CheXpert make sixty for a cluster.
   */
  public static final long DEFAULT_RANGE_BYTES = 4L << 20;

  private final String path;
  private final CohortSpec spec;
  private final int spreadBuckets;
  private final long rangeBytes;
  /** A side input the parsing waits for, or null. */
  private final PCollectionView<?> waitFor;

  private ReadChexpertCsv(String path, CohortSpec spec, int spreadBuckets, long rangeBytes,
      PCollectionView<?> waitFor) {
    this.path = path;
    this.spec = spec;
    this.spreadBuckets = spreadBuckets;
    this.rangeBytes = rangeBytes;
    this.waitFor = waitFor;
  }

  public static ReadChexpertCsv from(String path) {
    checkArgumentNotNull(path, "ReadChexpertCsv needs a path");
    return new ReadChexpertCsv(path, CohortSpec.chexpert(), DEFAULT_SPREAD_BUCKETS, DEFAULT_RANGE_BYTES, null);
  }

  /** Uses another dataset's column names and labels. */
  public ReadChexpertCsv withSpec(CohortSpec spec) {
    checkArgumentNotNull(spec, "ReadChexpertCsv spec can not be null");
    return new ReadChexpertCsv(path, spec, spreadBuckets, rangeBytes, waitFor);
  }

  /** Spreads the parsed rows over this many random keys (see {@link #DEFAULT_SPREAD_BUCKETS}). */
  public ReadChexpertCsv withSpreadBuckets(int buckets) {
    if (buckets < 1) {
      throw new IllegalArgumentException("ReadChexpertCsv spreadBuckets must be >= 1, got " + buckets);
    }
    return new ReadChexpertCsv(path, spec, buckets, rangeBytes, waitFor);
  }

  /**
   * Passes the parsed rows on in the reader's one bundle, without spreading them over keys. On the
   * Direct runner that is faster: its reshuffle costs five steps per row, more than the second worker
   * gains (issue 15). Distributed runners want the spread.
   */
  public ReadChexpertCsv withoutSpread() {
    return new ReadChexpertCsv(path, spec, NO_SPREAD, rangeBytes, waitFor);
  }

  /** Parses the file in ranges of about {@code bytes} bytes (see {@link #DEFAULT_RANGE_BYTES}). */
  public ReadChexpertCsv withRangeBytes(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("ReadChexpertCsv rangeBytes must be >= 1, got " + bytes);
    }
    return new ReadChexpertCsv(path, spec, spreadBuckets, bytes, waitFor);
  }

  /**
   * Starts parsing once {@code view} is ready. On the Direct runner a step that reads a side input goes over
   * the records waiting for it again and again until it is ready (a JoinDemographics whose sheet is still
   * being read, issue 15); holding back the few ranges here instead keeps the records from waiting.
   */
  public ReadChexpertCsv waitingFor(PCollectionView<?> view) {
    checkArgumentNotNull(view, "ReadChexpertCsv view can not be null");
    return new ReadChexpertCsv(path, spec, spreadBuckets, rangeBytes, view);
  }

  @Override
  public Filtered expand(PBegin input) {
    PCollectionTuple out =
        input
            .apply("Path", Create.of(path))
            .apply("FindRanges", ParDo.of(new RangesFn(rangeBytes)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), JavaSerializationCoder.of(CsvRanges.Range.class)))
            // a bundle per range on the Direct runner, ranges spread over a cluster's workers
            .apply("SpreadRanges", Reshuffle.viaRandomKey())
            .apply("ParseRows", parse());
    Filtered parsed = Filtered.of(out);
    if (spreadBuckets == NO_SPREAD) {
      return parsed;
    }
    return Filtered.of(
        parsed.kept().apply("Redistribute", Reshuffle.<CohortRecord>viaRandomKey().withNumBuckets(spreadBuckets)),
        parsed.rejected(),
        parsed.deadLetters());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("path", path)).add(DisplayData.item("labels", spec.labels.size()))
        .add(DisplayData.item("spreadBuckets", spreadBuckets)).add(DisplayData.item("rangeBytes", rangeBytes));
  }

  private ParDo.MultiOutput<KV<String, CsvRanges.Range>, CohortRecord> parse() {
    ParDo.SingleOutput<KV<String, CsvRanges.Range>, CohortRecord> parse = ParDo.of(new ParseFn(spec));
    if (waitFor != null) {
      parse = parse.withSideInputs(waitFor);
    }
    return parse.withOutputTags(Filtered.KEPT, TupleTagList.of(Filtered.REJECTED).and(Filtered.DEAD));
  }

  /** Cuts the file into ranges of whole records. */
  static final class RangesFn extends DoFn<String, KV<String, CsvRanges.Range>> {
    private static final Logger LOG = LoggerFactory.getLogger(RangesFn.class);
    private final long rangeBytes;

    RangesFn(long rangeBytes) {
      this.rangeBytes = rangeBytes;
    }

    @ProcessElement
    public void process(@Element String file, OutputReceiver<KV<String, CsvRanges.Range>> out) throws IOException {
      long start = System.nanoTime();
      List<CsvRanges.Range> ranges;
      try (InputStream in = Resources.csv(file).open()) {
        ranges = CsvRanges.of(in, rangeBytes);
      }
      LOG.debug(String.format("%s: %d range(s) of whole records found in %.2f s", file, ranges.size(),
          (System.nanoTime() - start) / 1e9));
      for (CsvRanges.Range r : ranges) {
        out.output(KV.of(file, r));
      }
    }
  }

  /** Parses one range of the file, numbering its rows from the count before it. */
  static final class ParseFn extends DoFn<KV<String, CsvRanges.Range>, CohortRecord> {
    private final CohortSpec spec;

    ParseFn(CohortSpec spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element KV<String, CsvRanges.Range> element, MultiOutputReceiver out) throws IOException {
      String file = element.getKey();
      CsvRanges.Range range = element.getValue();
      CsvSource whole = Resources.csv(file);
      ImageRowParser parser;
      long rowIndex;
      CsvFile csv;
      try (CsvFile head = CsvFile.open(whole)) {
        try {
          parser = new ImageRowParser(spec, head.header());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        if (range.start() == 0) {
          csv = CsvFile.open(new CsvSource(file, () -> Resources.openRange(file, 0, range.end())));
          rowIndex = 0;
        } else {
          csv = CsvFile.continuing(file, Resources.openRange(file, range.start(), range.end()), head.header(),
              range.firstLine());
          rowIndex = range.recordsBefore() - 1; // the header is the file's first record
        }
      }
      try (csv) {
        while (true) {
          CsvFile.Row row;
          try {
            row = csv.next();
          } catch (CsvReader.MalformedCsvException e) {
            out.get(Filtered.DEAD).output(DeadLetters.of(STAGE, file, e.line(), "", e.getMessage()));
            break;
          }
          if (row == null) {
            break;
          }
          emit(file, parser, rowIndex++, row, out);
        }
      }
    }

    /**
     * The row as a record, or a dead letter. A method of its own: {@code process} runs once per range, so its
     * loop stays in the interpreter until the JIT compiles it on the stack; this is compiled after a few
     * hundred rows.
     */
    private static void emit(String file, ImageRowParser parser, long rowIndex, CsvFile.Row row,
        MultiOutputReceiver out) {
      if (row.undecodable()) {
        out.get(Filtered.DEAD)
            .output(DeadLetters.of(STAGE, file, row.line(), row.raw(), "row has bytes that are not UTF-8"));
        return;
      }
      try {
        out.get(Filtered.KEPT).output(parser.parse(rowIndex, row.fields()));
      } catch (ImageRowParser.BadRowException e) {
        out.get(Filtered.DEAD).output(DeadLetters.of(STAGE, file, row.line(), row.raw(), e.getMessage()));
      }
    }
  }
}
