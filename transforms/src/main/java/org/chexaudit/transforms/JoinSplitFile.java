package org.chexaudit.transforms;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.DeadLetter;
import org.chexaudit.transforms.cohort.DeadLetters;
import org.chexaudit.transforms.cohort.Filtered;
import org.chexaudit.transforms.io.CsvReader;

/**
 * Assigns each image the split named in a chexploration split file ({@code ,index,split}, where
 * {@code index} is the 0-based row of the images CSV), exactly as the sample notebook's
 * {@code pd.concat(axis=1)} does: images without a split row are filtered out (rule
 * {@value #NOT_IN_SPLIT}); split rows that are malformed, repeat an index, or name a row that has no
 * image become dead letters.
 */
public final class JoinSplitFile extends PTransform<PCollection<CohortRecord>, Filtered> {
  // Static so that the join schema does not capture this transform (and its PCollection fields).
  private static final TupleTag<CohortRecord> IMAGE_TAG = new TupleTag<>() {};
  private static final TupleTag<SplitRow> SPLIT_TAG = new TupleTag<>() {};
  public static final String STAGE = "JoinSplitFile";
  public static final String NOT_IN_SPLIT = "not in split file";

  /** One parsed row of the split file. */
  record SplitRow(long index, String split, Long unnamed, long line, String text)
      implements java.io.Serializable {}

  private static final TupleTag<SplitRow> ROWS = new TupleTag<>() {};
  private static final TupleTag<DeadLetter> DEAD = new TupleTag<>() {};

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
    PCollection<KV<Long, SplitRow>> rows =
        parsed
            .get(ROWS)
            .setCoder(org.apache.beam.sdk.coders.SerializableCoder.of(SplitRow.class))
            .apply("KeySplitRows", WithKeys.of(SplitRow::index).withKeyType(TypeDescriptors.longs()));
    PCollection<KV<Long, CohortRecord>> keyedImages =
        images.apply(
            "KeyImages",
            WithKeys.<Long, CohortRecord>of(CohortRecord::getRowIndex)
                .withKeyType(TypeDescriptors.longs()));
    keyedImages.setCoder(KvCoder.of(VarLongCoder.of(), AvroCoder.of(CohortRecord.class)));

    PCollectionTuple joined =
        KeyedPCollectionTuple.of(IMAGE_TAG, keyedImages)
            .and(SPLIT_TAG, rows)
            .apply("JoinOnRowIndex", CoGroupByKey.create())
            .apply(
                "AssignSplit",
                ParDo.of(new AssignFn(IMAGE_TAG, SPLIT_TAG, path))
                    .withOutputTags(
                        Filtered.KEPT, TupleTagList.of(Filtered.REJECTED).and(Filtered.DEAD)));
    Filtered result = Filtered.of(joined);
    return Filtered.of(
        result.kept(),
        result.rejected(),
        org.apache.beam.sdk.values.PCollectionList.of(result.deadLetters())
            .and(parsed.get(DEAD))
            .apply("AllDeadLetters", org.apache.beam.sdk.transforms.Flatten.pCollections()));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("path", path));
  }

  static final class ParseFn extends DoFn<String, SplitRow> {
    @ProcessElement
    public void process(@Element String file, MultiOutputReceiver out) throws IOException {
      try (CsvReader csv =
          new CsvReader(
              new BufferedReader(
                  new InputStreamReader(
                      Channels.newInputStream(
                          FileSystems.open(FileSystems.matchSingleFileSpec(file).resourceId())),
                      StandardCharsets.UTF_8)))) {
        CsvReader.Record header = csv.next();
        if (header == null
            || header.fields().size() < 3
            || !header.fields().get(1).equals("index")
            || !header.fields().get(2).equals("split")) {
          throw new IllegalArgumentException(
              "split file " + file + " must have the header ',index,split'; found "
                  + (header == null ? "an empty file" : String.join(",", header.fields())));
        }
        CsvReader.Record row;
        while ((row = csv.next()) != null) {
          List<String> f = row.fields();
          String text = String.join(",", f);
          if (f.size() == 1 && f.get(0).isEmpty()) {
            continue;
          }
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

  static final class AssignFn extends DoFn<KV<Long, CoGbkResult>, CohortRecord> {
    private final TupleTag<CohortRecord> imageTag;
    private final TupleTag<SplitRow> splitTag;
    private final String file;

    AssignFn(TupleTag<CohortRecord> imageTag, TupleTag<SplitRow> splitTag, String file) {
      this.imageTag = imageTag;
      this.splitTag = splitTag;
      this.file = file;
    }

    @ProcessElement
    public void process(@Element KV<Long, CoGbkResult> e, MultiOutputReceiver out) {
      CohortRecord image = e.getValue().getOnly(imageTag, null);
      List<SplitRow> splits = new java.util.ArrayList<>();
      e.getValue().getAll(splitTag).forEach(splits::add);
      splits.sort(java.util.Comparator.comparingLong(SplitRow::line));
      if (image == null) {
        for (SplitRow s : splits) {
          out.get(Filtered.DEAD)
              .output(
                  DeadLetters.of(
                      STAGE, file, s.line(), s.text(),
                      "index " + s.index() + " names no readable row of the images CSV"));
        }
        return;
      }
      if (splits.isEmpty()) {
        out.get(Filtered.REJECTED).output(KV.of(NOT_IN_SPLIT, image.getId()));
        return;
      }
      for (SplitRow extra : splits.subList(1, splits.size())) {
        out.get(Filtered.DEAD)
            .output(
                DeadLetters.of(
                    STAGE, file, extra.line(), extra.text(),
                    "index " + extra.index() + " is listed again (first on line " + splits.get(0).line() + ")"));
      }
      SplitRow s = splits.get(0);
      CohortRecord assigned = CohortRecord.newBuilder(image).setSplit(s.split()).setSplitFileRow(s.unnamed()).build();
      out.get(Filtered.KEPT).output(assigned);
    }
  }

}
