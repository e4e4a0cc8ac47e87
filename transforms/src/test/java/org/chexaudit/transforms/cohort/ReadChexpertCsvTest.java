package org.chexaudit.transforms.cohort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.chexaudit.schemas.CohortRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same rows, with the same row indexes and dead letters with the same lines, whether or not the reader
 * spreads them over keys, and however small the ranges it parses the file in.
 */
@ExtendWith(TestPipelineExtension.class)
class ReadChexpertCsvTest {
  private static final String HEADER = "Path,Sex,Age,Frontal/Lateral,AP/PA,No Finding,Enlarged Cardiomediastinum,"
      + "Cardiomegaly,Lung Opacity,Lung Lesion,Edema,Consolidation,Pneumonia,Atelectasis,Pneumothorax,"
      + "Pleural Effusion,Pleural Other,Fracture,Support Devices";
  private static final String LABELS = ",1.0,,,,,,,,,,,,,";

  @TempDir Path tmp;

  private String csv() throws IOException {
    Path file = tmp.resolve("train.csv");
    Files.write(file, List.of(
        HEADER,
        "CheXpert-v1.0/train/patient00001/study1/view1_frontal.jpg,Female,68,Frontal,AP" + LABELS,
        "CheXpert-v1.0/train/patient00002/study2/view1_frontal.jpg,Male,87,Frontal,PA" + LABELS,
        "CheXpert-v1.0/train/patient00002/study2/view2_lateral.jpg,Male,87,Lateral," + LABELS));
    return file.toString();
  }

  private static PCollection<String> idAndRow(PCollection<CohortRecord> records) {
    return records.apply("IdAndRow",
        MapElements.into(TypeDescriptors.strings()).via(r -> r.getId() + "@" + r.getRowIndex()));
  }

  private static final String[] EXPECTED = {
    "patient00001_study1_view1_frontal@0", "patient00002_study2_view1_frontal@1", "patient00002_study2_view2_lateral@2"
  };

  @Test
  void spreadRowsKeepTheirRowIndex(TestPipeline p) throws IOException {
    PAssert.that(idAndRow(p.apply(ReadChexpertCsv.from(csv()).withSpreadBuckets(2)).kept())).containsInAnyOrder(EXPECTED);
    p.run();
  }

  /**
   * A blank line, a row that cannot be parsed, a quoted field over two lines and a byte-order mark: rows keep
   * the index and dead letters the line a reader of the whole file gives, in ranges of one record each.
   */
  @Test
  void rowsReadInRangesKeepTheirIndexAndLine(TestPipeline p) throws IOException {
    Path file = tmp.resolve("ranges.csv");
    Files.writeString(file, "\uFEFF" + String.join("\n",
        HEADER, // line 1
        "CheXpert-v1.0/train/patient00001/study1/view1_frontal.jpg,Female,68,Frontal,AP" + LABELS, // row 0
        "", // line 3, blank: no row
        "CheXpert-v1.0/train/patient00002/study2/view1_frontal.jpg,Male,eighty,Frontal,PA" + LABELS, // row 1, dead
        "CheXpert-v1.0/train/patient00003/study1/view1_frontal.jpg,Female,50,\"Fron\ntal\",AP" + LABELS, // row 2
        "CheXpert-v1.0/train/patient00004/study1/view1_frontal.jpg,Male,40,Frontal,AP" + LABELS) // row 3, line 7
        + "\n");
    for (long bytes : new long[] {1, 200, ReadChexpertCsv.DEFAULT_RANGE_BYTES}) {
      Filtered read = p.apply("Read" + bytes, ReadChexpertCsv.from(file.toString()).withoutSpread().withRangeBytes(bytes));
      PAssert.that(read.kept().apply("IdAndRow" + bytes,
              MapElements.into(TypeDescriptors.strings()).via(r -> r.getId() + "@" + r.getRowIndex())))
          .containsInAnyOrder("patient00001_study1_view1_frontal@0", "patient00003_study1_view1_frontal@2",
              "patient00004_study1_view1_frontal@3");
      PAssert.that(read.deadLetters().apply("Line" + bytes,
              MapElements.into(TypeDescriptors.longs()).via(d -> d.getLine())))
          .containsInAnyOrder(4L);
    }
    p.run();
  }

  @Test
  void unspreadRowsAreTheSame(TestPipeline p) throws IOException {
    PAssert.that(idAndRow(p.apply(ReadChexpertCsv.from(csv()).withoutSpread()).kept())).containsInAnyOrder(EXPECTED);
    p.run();
  }
}
