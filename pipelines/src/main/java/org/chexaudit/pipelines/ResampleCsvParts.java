package org.chexaudit.pipelines;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.chexaudit.core.cohort.NotebookCsv;
import org.chexaudit.core.io.CsvWriter;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.transforms.io.Resources;
import org.chexaudit.transforms.resample.Resample;

/**
 * Writes the rows of {@code chexpert.resample.<split>.csv} as parts for {@link CohortFiles#concatenate}:
 * each drawn record (as often as drawn) in the notebook layout, its index column the position in the split's
 * file and {@code Unnamed: 0} the position in the full sample. Rows are ordered by race label, disease label
 * and split position; a part holds one race, one disease and {@value #BUCKET_POSITIONS} split positions,
 * named so that name order is row order.
 *
 * <p>Input: per bucket of row indices, the positions of its records of the split ({@link NotebookPositions})
 * and their drawn copies, co-grouped. Output: the count of distinct records drawn, under {@link #DISTINCT}.
 */
final class ResampleCsvParts
    extends PTransform<PCollection<KV<Long, CoGbkResult>>, PCollection<KV<List<String>, Long>>> {
  static final String DISTINCT = "distinct_ids";
  /** Split positions per part. */
  static final long BUCKET_POSITIONS = 16384;

  private final String partsDir;
  private final String fileName;
  private final TupleTag<KV<String, KV<Long, Long>>> positionTag;
  private final TupleTag<CohortRecord> drawnTag;

  private ResampleCsvParts(String partsDir, String fileName, TupleTag<KV<String, KV<Long, Long>>> positionTag,
      TupleTag<CohortRecord> drawnTag) {
    this.partsDir = partsDir;
    this.fileName = fileName;
    this.positionTag = positionTag;
    this.drawnTag = drawnTag;
  }

  static ResampleCsvParts to(String partsDir, String fileName, TupleTag<KV<String, KV<Long, Long>>> positionTag,
      TupleTag<CohortRecord> drawnTag) {
    checkArgumentNotNull(partsDir, "ResampleCsvParts partsDir can not be null");
    checkArgumentNotNull(fileName, "ResampleCsvParts fileName can not be null");
    return new ResampleCsvParts(partsDir, fileName, positionTag, drawnTag);
  }

  /** The part of a row: race label, disease label, split-position bucket, each zero-padded to sort by name. */
  static String partKey(int race, int disease, long splitPosition) {
    return String.format("%010d-%010d-%019d", (long) race - Integer.MIN_VALUE, (long) disease - Integer.MIN_VALUE,
        splitPosition / BUCKET_POSITIONS);
  }

  private static final TupleTag<KV<String, KV<Long, String>>> LINES = new TupleTag<>("ResampleCsvParts.LINES") {};
  private static final TupleTag<KV<List<String>, Long>> COUNTS = new TupleTag<>("ResampleCsvParts.COUNTS") {};

  @Override
  public PCollection<KV<List<String>, Long>> expand(PCollection<KV<Long, CoGbkResult>> joined) {
    PCollectionTuple rendered = joined.apply("RenderRows",
        ParDo.of(new RenderFn(positionTag, drawnTag)).withOutputTags(LINES, TupleTagList.of(COUNTS)));
    rendered.get(LINES)
        .setCoder(KvCoder.of(StringUtf8Coder.of(), KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of())))
        .apply("GroupParts", GroupByKey.create())
        .apply("WriteParts", ParDo.of(new WriteSortedCsvPartFn(partsDir, fileName)));
    return rendered.get(COUNTS).setCoder(KvCoder.of(ListCoder.of(StringUtf8Coder.of()), VarLongCoder.of()));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("partsDir", partsDir)).add(DisplayData.item("fileName", fileName));
  }

  private static final class RenderFn extends DoFn<KV<Long, CoGbkResult>, KV<String, KV<Long, String>>> {
    private final TupleTag<KV<String, KV<Long, Long>>> positionTag;
    private final TupleTag<CohortRecord> drawnTag;

    RenderFn(TupleTag<KV<String, KV<Long, Long>>> positionTag, TupleTag<CohortRecord> drawnTag) {
      this.positionTag = positionTag;
      this.drawnTag = drawnTag;
    }

    @ProcessElement
    public void process(ProcessContext c) throws IOException {
      CoGbkResult group = c.element().getValue();
      Map<String, KV<Long, Long>> positions = new HashMap<>();
      for (KV<String, KV<Long, Long>> p : group.getAll(positionTag)) {
        positions.put(p.getKey(), p.getValue());
      }
      Set<String> drawn = new HashSet<>();
      for (CohortRecord r : group.getAll(drawnTag)) {
        String key = Resample.rowKey(r);
        KV<Long, Long> position = positions.get(key);
        if (position == null) {
          throw new IllegalStateException("drawn record " + r.getId() + " has no position in the cohort");
        }
        List<String> f = new ArrayList<>(NotebookCsv.row(r, position.getKey()));
        f.set(0, Long.toString(position.getValue()));
        StringWriter line = new StringWriter();
        new CsvWriter(line).writeRow(f);
        c.output(KV.of(partKey(r.getRaceLabel(), r.getDiseaseLabel(), position.getValue()),
            KV.of(position.getValue(), line.toString())));
        drawn.add(key);
      }
      if (!drawn.isEmpty()) {
        c.output(COUNTS, KV.of(List.of(DISTINCT), (long) drawn.size()));
      }
    }
  }
}
