package org.chexaudit.pipelines;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.chexaudit.core.io.CsvWriter;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.transforms.io.Resources;

/**
 * Writes the rows of chexclusion-cohort's {@code groups.csv} (id, then every attribute in name order, blank
 * when a record lacks it) as parts for {@link CohortFiles#concatenate}. Rows are in the adapters' order:
 * source by source ({@code sources}, matched on the {@code source} attribute), then by row index; a part holds
 * one source and {@value #BUCKET_ROWS} row indices, named so that name order is row order. The attribute
 * names come from a distinct over the records, a small side input.
 */
final class GroupsCsvParts extends PTransform<PCollection<CohortRecord>, PDone> {
  static final long BUCKET_ROWS = 65536;

  private final String partsDir;
  private final String fileName;
  private final List<String> sources;

  private GroupsCsvParts(String partsDir, String fileName, List<String> sources) {
    this.partsDir = partsDir;
    this.fileName = fileName;
    this.sources = List.copyOf(sources);
  }

  static GroupsCsvParts to(String partsDir, String fileName, List<String> sources) {
    checkArgumentNotNull(partsDir, "GroupsCsvParts partsDir can not be null");
    checkArgumentNotNull(fileName, "GroupsCsvParts fileName can not be null");
    checkArgumentNotNull(sources, "GroupsCsvParts sources can not be null");
    return new GroupsCsvParts(partsDir, fileName, sources);
  }

  @Override
  public PDone expand(PCollection<CohortRecord> records) {
    PCollectionView<List<String>> attributes = records
        .apply("AttributeNames", FlatMapElements.into(TypeDescriptors.strings())
            .via((CohortRecord r) -> r.getAttributes().keySet().stream().map(Object::toString).toList()))
        .apply("DistinctNames", Distinct.create())
        .apply("NamesView", View.asList());
    records
        .apply("RenderRows", ParDo.of(new RenderFn(sources, attributes)).withSideInputs(attributes))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of())))
        .apply("GroupParts", GroupByKey.create())
        .apply("WriteParts", ParDo.of(new WriteSortedCsvPartFn(partsDir, fileName)));
    return PDone.in(records.getPipeline());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("partsDir", partsDir)).add(DisplayData.item("sources", sources.toString()));
  }

  private static final class RenderFn extends DoFn<CohortRecord, KV<String, KV<Long, String>>> {
    private final List<String> sources;
    private final PCollectionView<List<String>> attributes;

    RenderFn(List<String> sources, PCollectionView<List<String>> attributes) {
      this.sources = sources;
      this.attributes = attributes;
    }

    @ProcessElement
    public void process(ProcessContext c) throws IOException {
      CohortRecord r = c.element();
      List<String> row = new ArrayList<>(List.of(r.getId().toString()));
      for (String k : new TreeSet<>(c.sideInput(attributes))) {
        Object v = r.getAttributes().get(k);
        row.add(v == null ? "" : v.toString());
      }
      StringWriter line = new StringWriter();
      new CsvWriter(line).writeRow(row);
      Object source = r.getAttributes().get("source");
      int ordinal = source == null ? -1 : sources.indexOf(source.toString());
      String part = String.format("%03d-%019d", ordinal + 1, r.getRowIndex() / BUCKET_ROWS);
      c.output(KV.of(part, KV.of(r.getRowIndex(), line.toString())));
    }
  }
}
