package org.chexaudit.pipelines;


import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.chexaudit.core.cohort.CohortSpec;
import org.chexaudit.core.cohort.NotebookCsv;
import org.chexaudit.core.io.CsvWriter;
import org.chexaudit.pipelines.stage.AvroFiles;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.transforms.io.Resources;
import org.chexaudit.transforms.resample.Resample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notebook files written as parts in buckets of a few demographics rows, then concatenated, are the
 * bytes of one sorted write of the whole cohort (what the cohort stage wrote before it was distributed), and
 * the positions ranked per bucket are the positions in that sorted order.
 */
class CohortPartsTest {
  private static final String[] SPLITS = {"train", "validate", "test"};
  private static final String[] RACES = {"White", "Black", "Asian"};

  @TempDir Path tmp;

  /** 60 records of 25 patients, demographics rows 0..24 out of order, two without a row. */
  private static List<CohortRecord> cohort() {
    Random rng = new Random(3);
    List<CohortRecord> rows = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      int patient = rng.nextInt(25);
      rows.add(CohortRecord.newBuilder()
          .setId("img" + i).setRowIndex(1000 - 7L * i).setPatientId("p" + patient)
          .setDemoRow(i < 2 ? null : (long) patient).setPath("p" + i + ".jpg").setPathPreproc("q" + i)
          .setSex(patient % 2 == 0 ? "Male" : "Female").setRace(RACES[patient % 3]).setRaceLabel(patient % 3)
          .setSplit(SPLITS[patient % 3]).setLabels(List.of(1f)).setDisease("Other").setDiseaseLabel(2)
          .setAge(40).setAttributes(new HashMap<>()).build());
    }
    return rows;
  }

  private static String sortedWrite(CohortSpec spec, List<CohortRecord> all, java.util.function.Predicate<CohortRecord> keep)
      throws Exception {
    List<CohortRecord> ordered = CohortFiles.notebookOrder(all);
    StringWriter s = new StringWriter();
    CsvWriter csv = new CsvWriter(s);
    csv.writeRow(NotebookCsv.header(spec));
    for (int i = 0; i < ordered.size(); i++) {
      if (keep.test(ordered.get(i))) {
        csv.writeRow(NotebookCsv.row(ordered.get(i), i));
      }
    }
    return s.toString();
  }

  @Test
  void partsInSmallBucketsConcatenateToOneSortedWrite() throws Exception {
    CohortSpec spec = CohortSpec.chexpert();
    List<CohortRecord> all = cohort();
    List<CohortFiles.Subset> subsets = List.of(new CohortFiles.Subset("race", "White"));
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<CohortRecord> records = p.apply(Create.of(all).withCoder(AvroCoder.specific(CohortRecord.class)));
    String parts = tmp.resolve("parts").toString();
    String avro = tmp.resolve("avro").resolve("part").toString();
    records.apply(CohortParts.to(avro, parts, "s", spec, subsets).withBucketRows(3));

    List<KV<Long, KV<String, KV<Long, Long>>>> expected = new ArrayList<>();
    List<CohortRecord> ordered = CohortFiles.notebookOrder(all);
    long inSplit = 0;
    for (int i = 0; i < ordered.size(); i++) {
      if ("test".equals(ordered.get(i).getSplit())) {
        expected.add(KV.of(Resample.rowBucket(ordered.get(i).getRowIndex()),
            KV.of(Resample.rowKey(ordered.get(i)), KV.of((long) i, inSplit++))));
      }
    }
    PAssert.that(records.apply(NotebookPositions.ofSplit("test").withBucketRows(3))).containsInAnyOrder(expected);
    p.run().waitUntilFinish();

    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    CohortFiles.concatenate(Resources.dir(out.toString()), Resources.dir(parts), spec,
        CohortFiles.notebookFiles("s", List.of(SPLITS), subsets));
    assertThat(Files.readString(out.resolve("s.csv")), equalTo(sortedWrite(spec, all, r -> true)));
    assertThat(Files.readString(out.resolve("s.val.csv")),
        equalTo(sortedWrite(spec, all, r -> "validate".equals(r.getSplit()))));
    assertThat(Files.readString(out.resolve("s.train.white.csv")),
        equalTo(sortedWrite(spec, all, r -> "train".equals(r.getSplit()) && "White".equals(r.getRace()))));
    // the Avro parts, read in name order, hold every record once in the notebook's order
    List<String> ids = AvroFiles.readAll(tmp.resolve("avro"), CohortRecord.class, "avro").stream()
        .map(CohortRecord::getId).toList();
    assertThat(ids, equalTo(ordered.stream().map(CohortRecord::getId).toList()));
    assertThat(AvroFiles.list(tmp.resolve("avro"), "avro").size(),
        equalTo((int) all.stream().mapToLong(r -> CohortParts.bucketOf(r, 3)).distinct().count()));
  }

  @Test
  void splitsGivenAsAViewAreSetAsTheBucketsAreWritten() throws Exception {
    CohortSpec spec = CohortSpec.chexpert();
    List<CohortRecord> all = cohort();
    Map<String, String> assignment = new HashMap<>();
    List<CohortRecord> unsplit = new ArrayList<>();
    for (CohortRecord r : all) {
      assignment.put(r.getPatientId(), r.getSplit());
      CohortRecord copy = CohortRecord.newBuilder(r).build();
      copy.setSplit(null);
      unsplit.add(copy);
    }
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollectionView<Map<String, String>> splits = p
        .apply("Assignment", Create.of(assignment).withCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())))
        .apply(View.asMap());
    String parts = tmp.resolve("parts").toString();
    String avro = tmp.resolve("avro").resolve("part").toString();
    p.apply(Create.of(unsplit).withCoder(AvroCoder.specific(CohortRecord.class)))
        .apply(CohortParts.to(avro, parts, "s", spec, List.of()).withBucketRows(3).withSplits(splits));
    p.run().waitUntilFinish();

    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    CohortFiles.concatenate(Resources.dir(out.toString()), Resources.dir(parts), spec,
        CohortFiles.notebookFiles("s", List.of(SPLITS), List.of()));
    assertThat(Files.readString(out.resolve("s.val.csv")),
        equalTo(sortedWrite(spec, all, r -> "validate".equals(r.getSplit()))));
    List<String> read = AvroFiles.readAll(tmp.resolve("avro"), CohortRecord.class, "avro").stream()
        .map(r -> r.getId() + ":" + r.getSplit()).toList();
    assertThat(read, equalTo(CohortFiles.notebookOrder(all).stream().map(r -> r.getId() + ":" + r.getSplit()).toList()));
  }

  @Test
  void anEmptyCohortHasOneEmptyAvroFile() {
    String avro = tmp.resolve("avro").resolve("part").toString();
    CohortParts.writeEmptyAvro(avro);
    assertThat(AvroFiles.list(tmp.resolve("avro"), "avro").size(), equalTo(1));
    assertThat(AvroFiles.readAll(tmp.resolve("avro"), CohortRecord.class, "avro").size(), equalTo(0));
  }
}
