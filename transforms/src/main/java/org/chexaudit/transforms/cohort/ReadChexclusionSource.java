package org.chexaudit.transforms.cohort;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.chexaudit.core.chexclusion.AdapterSink;
import org.chexaudit.core.chexclusion.ChexpertAdapter;
import org.chexaudit.core.chexclusion.MimicAdapter;
import org.chexaudit.core.chexclusion.NihAdapter;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.DeadLetter;
import org.chexaudit.transforms.io.Resources;

/**
 * Reads one of CheXclusion's datasets with its adapter ({@link ChexpertAdapter}, {@link MimicAdapter},
 * {@link NihAdapter}), the CheXclusion counterpart of {@link ReadChexpertCsv}: the files (any Beam paths)
 * are streamed row by row on a worker, each row becomes a {@link CohortRecord} or a {@link DeadLetter},
 * and nothing is collected. Output tuple: {@link #RECORDS} and {@link #DEAD}. With
 * {@link #withSpreadBuckets} the records are spread over that many keys for the steps after.
 */
public final class ReadChexclusionSource extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<CohortRecord> RECORDS = new TupleTag<>("ReadChexclusionSource.RECORDS") {};
  public static final TupleTag<DeadLetter> DEAD = new TupleTag<>("ReadChexclusionSource.DEAD") {};

  /** Reads the files into a sink; one implementation per dataset. */
  private interface Reader extends Serializable {
    void read(AdapterSink sink);
  }

  private final String dataset;
  private final List<String> files;
  private final Reader reader;
  private final int spreadBuckets;

  private ReadChexclusionSource(String dataset, List<String> files, Reader reader, int spreadBuckets) {
    this.dataset = dataset;
    this.files = List.copyOf(files);
    this.reader = reader;
    this.spreadBuckets = spreadBuckets;
  }

  /** CheXpert's CSVs in order (train.csv, then valid.csv); row_index runs over all of them. */
  public static ReadChexclusionSource chexpert(List<String> csvs) {
    checkArgumentNotNull(csvs, "ReadChexclusionSource csvs can not be null");
    List<String> paths = List.copyOf(csvs);
    return new ReadChexclusionSource("CXP", paths,
        sink -> ChexpertAdapter.create().read(paths.stream().map(Resources::csv).toList(), sink), 0);
  }

  /** MIMIC-CXR's labeller CSV and metadata CSV. */
  public static ReadChexclusionSource mimic(String labelsCsv, String metadataCsv) {
    checkArgumentNotNull(labelsCsv, "ReadChexclusionSource labelsCsv can not be null");
    checkArgumentNotNull(metadataCsv, "ReadChexclusionSource metadataCsv can not be null");
    return new ReadChexclusionSource("MIMIC", List.of(labelsCsv, metadataCsv),
        sink -> MimicAdapter.create().read(Resources.csv(labelsCsv), Resources.csv(metadataCsv), sink), 0);
  }

  /** ChestX-ray14's {@code Data_Entry_2017.csv}, with {@code labels} (NIH's 14, or those plus "No Finding"). */
  public static ReadChexclusionSource nih(String dataEntryCsv, List<String> labels) {
    checkArgumentNotNull(dataEntryCsv, "ReadChexclusionSource dataEntryCsv can not be null");
    checkArgumentNotNull(labels, "ReadChexclusionSource labels can not be null");
    List<String> l = List.copyOf(labels);
    return new ReadChexclusionSource("NIH", List.of(dataEntryCsv),
        sink -> NihAdapter.create().withLabels(l).read(Resources.csv(dataEntryCsv), sink), 0);
  }

  /** Spreads the records over this many random keys after reading (0: keep the reader's one bundle). */
  public ReadChexclusionSource withSpreadBuckets(int buckets) {
    if (buckets < 0) {
      throw new IllegalArgumentException("ReadChexclusionSource spreadBuckets must be >= 0, got " + buckets);
    }
    return new ReadChexclusionSource(dataset, files, reader, buckets);
  }

  @Override
  public PCollectionTuple expand(PBegin input) {
    PCollectionTuple out = input
        .apply("Dataset", Create.of(dataset))
        .apply("ReadRows", ParDo.of(new ReadFn(reader)).withOutputTags(RECORDS, TupleTagList.of(DEAD)));
    out.get(RECORDS).setCoder(AvroCoder.specific(CohortRecord.class));
    out.get(DEAD).setCoder(AvroCoder.of(DeadLetter.class));
    if (spreadBuckets == 0) {
      return out;
    }
    PCollection<CohortRecord> spread = out.get(RECORDS)
        .apply("Redistribute", Reshuffle.<CohortRecord>viaRandomKey().withNumBuckets(spreadBuckets));
    return PCollectionTuple.of(RECORDS, spread).and(DEAD, out.get(DEAD));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("dataset", dataset)).add(DisplayData.item("files", files.toString()))
        .add(DisplayData.item("spreadBuckets", spreadBuckets));
  }

  private static final class ReadFn extends DoFn<String, CohortRecord> {
    private final Reader reader;

    ReadFn(Reader reader) {
      this.reader = reader;
    }

    @ProcessElement
    public void process(MultiOutputReceiver out) {
      reader.read(new AdapterSink() {
        @Override
        public void record(CohortRecord record) {
          out.get(RECORDS).output(record);
        }

        @Override
        public void dead(DeadLetter deadLetter) {
          out.get(DEAD).output(deadLetter);
        }
      });
    }
  }
}
