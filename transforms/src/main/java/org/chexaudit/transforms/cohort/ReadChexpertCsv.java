package org.chexaudit.transforms.cohort;

import org.chexaudit.transforms.io.Resources;
import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import java.io.IOException;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.core.cohort.CohortSpec;
import org.chexaudit.core.cohort.DeadLetters;
import org.chexaudit.transforms.cohort.Filtered;
import org.chexaudit.core.cohort.ImageRowParser;
import org.chexaudit.core.io.CsvFile;
import org.chexaudit.core.io.CsvReader;

/**
 * Reads an images CSV in CheXpert's {@code train.csv} layout into {@link CohortRecord}s, one per row,
 * keyed by the row's 0-based index (which the chexploration split file refers to).
 *
 * <p>The file is read by one worker, in order, because the row index is part of the record; parsing
 * 223,414 rows takes about a second, and the records are redistributed afterwards (unless
 * {@link #withoutSpread}). Rows that cannot be parsed (wrong field count, malformed path, unknown label
 * value, non-numeric age, undecodable bytes) become dead letters with their line number; a missing file
 * or a header without a required column fails the pipeline with a message naming the file and the
 * columns.
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

  private final String path;
  private final CohortSpec spec;
  private final int spreadBuckets;

  private ReadChexpertCsv(String path, CohortSpec spec, int spreadBuckets) {
    this.path = path;
    this.spec = spec;
    this.spreadBuckets = spreadBuckets;
  }

  public static ReadChexpertCsv from(String path) {
    checkArgumentNotNull(path, "ReadChexpertCsv needs a path");
    return new ReadChexpertCsv(path, CohortSpec.chexpert(), DEFAULT_SPREAD_BUCKETS);
  }

  /** Uses another dataset's column names and labels. */
  public ReadChexpertCsv withSpec(CohortSpec spec) {
    checkArgumentNotNull(spec, "ReadChexpertCsv spec can not be null");
    return new ReadChexpertCsv(path, spec, spreadBuckets);
  }

  /** Spreads the parsed rows over this many random keys (see {@link #DEFAULT_SPREAD_BUCKETS}). */
  public ReadChexpertCsv withSpreadBuckets(int buckets) {
    if (buckets < 1) {
      throw new IllegalArgumentException("ReadChexpertCsv spreadBuckets must be >= 1, got " + buckets);
    }
    return new ReadChexpertCsv(path, spec, buckets);
  }

  /**
   * Passes the parsed rows on in the reader's one bundle, without spreading them over keys. On the
   * Direct runner that is faster: its reshuffle costs five steps per row, more than the second worker
   * gains (issue 15). Distributed runners want the spread.
   */
  public ReadChexpertCsv withoutSpread() {
    return new ReadChexpertCsv(path, spec, NO_SPREAD);
  }

  @Override
  public Filtered expand(PBegin input) {
    PCollectionTuple out =
        input
            .apply("Path", Create.of(path))
            .apply(
                "ParseRows",
                ParDo.of(new ParseFn(spec))
                    .withOutputTags(Filtered.KEPT, TupleTagList.of(Filtered.REJECTED).and(Filtered.DEAD)));
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
        .add(DisplayData.item("spreadBuckets", spreadBuckets));
  }

  /** Reads and parses the whole file in order. */
  static final class ParseFn extends DoFn<String, CohortRecord> {
    private final CohortSpec spec;

    ParseFn(CohortSpec spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element String file, MultiOutputReceiver out) throws IOException {
      try (CsvFile csv = CsvFile.open(Resources.csv(file))) {
        ImageRowParser parser;
        try {
          parser = new ImageRowParser(spec, csv.header());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        long rowIndex = 0;
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
          if (row.undecodable()) {
            out.get(Filtered.DEAD)
                .output(DeadLetters.of(STAGE, file, row.line(), row.raw(), "row has bytes that are not UTF-8"));
          } else {
            try {
              out.get(Filtered.KEPT).output(parser.parse(rowIndex, row.fields()));
            } catch (ImageRowParser.BadRowException e) {
              out.get(Filtered.DEAD).output(DeadLetters.of(STAGE, file, row.line(), row.raw(), e.getMessage()));
            }
          }
          rowIndex++;
        }
      }
    }
  }
}
