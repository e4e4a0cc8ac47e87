package org.chexaudit.transforms.cohort;

import org.chexaudit.transforms.io.Resources;
import org.chexaudit.core.io.CsvFile;
import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.chexaudit.transforms.coders.JavaSerializationCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.DeadLetter;
import org.chexaudit.core.cohort.DeadLetters;
import org.chexaudit.transforms.cohort.Filtered;

/**
 * Assigns each image the split named in a chexploration split file ({@code ,index,split}, where
 * {@code index} is the 0-based row of the images CSV), exactly as the sample notebook's
 * {@code pd.concat(axis=1)} does: images without a split row are filtered out (rule
 * {@value #NOT_IN_SPLIT}); split rows that are malformed, repeat an index, or name a row that has no
 * image become dead letters.
 */
public final class JoinSplitFile extends PTransform<PCollection<CohortRecord>, Filtered> {
  public static final String STAGE = "JoinSplitFile";
  public static final String NOT_IN_SPLIT = "not in split file";

  /** One parsed row of the split file. */
  record SplitRow(long index, String split, Long unnamed, long line, String text)
      implements java.io.Serializable {}

  private static final TupleTag<SplitRow> ROWS = new TupleTag<>("JoinSplitFile.ROWS") {};
  private static final TupleTag<DeadLetter> DEAD = new TupleTag<>("JoinSplitFile.DEAD") {};

  private final String path;

  private JoinSplitFile(String path) {
    this.path = path;
  }

  public static JoinSplitFile from(String path) {
    checkArgumentNotNull(path, "JoinSplitFile needs a path");
    return new JoinSplitFile(path);
  }

  @Override
  public Filtered expand(PCollection<CohortRecord> images) {
    PCollectionTuple parsed =
        images
            .getPipeline()
            .apply("SplitPath", Create.of(path))
            .apply("ParseSplitFile", ParDo.of(new ParseFn()).withOutputTags(ROWS, TupleTagList.of(DEAD)));
    parsed.get(DEAD).setCoder(AvroCoder.of(DeadLetter.class));
    // Broadcast join: the split file (127,118 rows for chexploration) reaches every worker as a multimap
    // side input, so the images keep their bundles instead of being grouped by row index; one small element
    // per row, where a map combined into one element would be too large a record at ten times the size
    PCollectionView<Map<Long, Iterable<SplitRow>>> splitView =
        parsed
            .get(ROWS)
            .setCoder(JavaSerializationCoder.of(SplitRow.class))
            .apply("ByIndex", WithKeys.of(SplitRow::index).withKeyType(TypeDescriptors.longs()))
            .setCoder(KvCoder.of(VarLongCoder.of(), JavaSerializationCoder.of(SplitRow.class)))
            .apply("SplitView", View.asMultimap());
    PCollectionView<Map<Long, Boolean>> imageRows =
        images
            .apply("RowIndex", MapElements
                .into(TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptors.booleans()))
                .via((CohortRecord r) -> KV.of(r.getRowIndex(), true)))
            .setCoder(KvCoder.of(VarLongCoder.of(), BooleanCoder.of()))
            .apply("ImageRowsView", View.asMap());
    PCollection<DeadLetter> badRows =
        images
            .getPipeline()
            .apply("Once", Create.of(0))
            .apply("BadSplitRows", ParDo.of(new BadRowsFn(splitView, imageRows, path))
                .withSideInputs(splitView, imageRows))
            .setCoder(AvroCoder.of(DeadLetter.class));
    Filtered result =
        Filtered.of(
            images.apply(
                "AssignSplit",
                ParDo.of(new AssignFn(splitView))
                    .withSideInputs(splitView)
                    .withOutputTags(Filtered.KEPT, TupleTagList.of(Filtered.REJECTED).and(Filtered.DEAD))));
    return Filtered.of(
        result.kept(),
        result.rejected(),
        PCollectionList.of(result.deadLetters())
            .and(parsed.get(DEAD))
            .and(badRows)
            .apply("AllDeadLetters", Flatten.pCollections()));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("path", path));
  }

  static final class ParseFn extends DoFn<String, SplitRow> {
    @ProcessElement
    public void process(@Element String file, MultiOutputReceiver out) throws IOException {
      try (CsvFile csv = CsvFile.open(Resources.csv(file))) {
        List<String> header = csv.header();
        if (header.size() < 3 || !header.get(1).equals("index") || !header.get(2).equals("split")) {
          throw new IllegalArgumentException(
              "split file " + file + " must have the header ',index,split'; found " + String.join(",", header));
        }
        for (CsvFile.Row row = csv.next(); row != null; row = csv.next()) {
          List<String> f = row.fields();
          String text = row.raw();
          try {
            if (f.size() != 3) {
              throw new IllegalArgumentException("expected 3 fields, found " + f.size());
            }
            String split = f.get(2);
            if (split.isEmpty()) {
              throw new IllegalArgumentException("empty split");
            }
            Long unnamed = f.get(0).isEmpty() ? null : Long.parseLong(f.get(0));
            out.get(ROWS)
                .output(new SplitRow(Long.parseLong(f.get(1)), split, unnamed, row.line(), text));
          } catch (IllegalArgumentException e) {
            out.get(DEAD).output(DeadLetters.of(STAGE, file, row.line(), text, e.getMessage()));
          }
        }
      }
    }
  }

  /** The rows of {@code index} in file order; empty when the file does not list it. */
  static List<SplitRow> rowsOf(Map<Long, Iterable<SplitRow>> byIndex, long index) {
    return SortedValues.of(byIndex, index, Comparator.comparingLong(SplitRow::line));
  }


  /** Dead letters for split rows that repeat an index or name a row without an image. */
  static final class BadRowsFn extends DoFn<Integer, DeadLetter> {
    private final PCollectionView<Map<Long, Iterable<SplitRow>>> splitView;
    private final PCollectionView<Map<Long, Boolean>> imageRows;
    private final String file;

    BadRowsFn(PCollectionView<Map<Long, Iterable<SplitRow>>> splitView, PCollectionView<Map<Long, Boolean>> imageRows,
        String file) {
      this.splitView = splitView;
      this.imageRows = imageRows;
      this.file = file;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      Map<Long, Iterable<SplitRow>> byIndex = c.sideInput(splitView);
      Map<Long, Boolean> rows = c.sideInput(imageRows);
      for (Long index : byIndex.keySet()) {
        List<SplitRow> splits = rowsOf(byIndex, index);
        if (!rows.containsKey(index)) {
          for (SplitRow s : splits) {
            c.output(DeadLetters.of(STAGE, file, s.line(), s.text(),
                "index " + s.index() + " names no readable row of the images CSV"));
          }
          continue;
        }
        for (SplitRow extra : splits.subList(1, splits.size())) {
          c.output(DeadLetters.of(STAGE, file, extra.line(), extra.text(),
              "index " + extra.index() + " is listed again (first on line " + splits.get(0).line() + ")"));
        }
      }
    }
  }

  static final class AssignFn extends DoFn<CohortRecord, CohortRecord> {
    private final PCollectionView<Map<Long, Iterable<SplitRow>>> splitView;
    /** The split file, read once per instance: the Direct runner rebuilds a map view on every read. */
    private transient Map<Long, Iterable<SplitRow>> byIndex;

    AssignFn(PCollectionView<Map<Long, Iterable<SplitRow>>> splitView) {
      this.splitView = splitView;
    }

    @ProcessElement
    public void process(@Element CohortRecord image, MultiOutputReceiver out, ProcessContext c) {
      if (byIndex == null) {
        byIndex = c.sideInput(splitView); // batch, global window: the same file for every element
      }
      List<SplitRow> splits = rowsOf(byIndex, image.getRowIndex());
      if (splits.isEmpty()) {
        out.get(Filtered.REJECTED).output(KV.of(NOT_IN_SPLIT, image.getId()));
        return;
      }
      SplitRow s = splits.get(0);
      CohortRecord assigned = CohortRecords.shallowCopy(image);
      assigned.setSplit(s.split());
      assigned.setSplitFileRow(s.unnamed());
      out.get(Filtered.KEPT).output(assigned);
    }
  }
}
