package org.chexaudit.pipelines;

import org.chexaudit.pipelines.stage.StageOutput;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.options.CohortOptions;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.DeadLetter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cohort command on {@link ChexpertFixture}, whose counts are worked out by hand there. */
class CohortPipelineTest {
  @TempDir Path tmp;

  private CohortOptions options(ChexpertFixture f, Path out) {
    CohortOptions o = PipelineOptionsFactory.as(CohortOptions.class);
    o.setTrainCsv(f.trainCsv.toString());
    o.setDemoXlsx(f.demoXlsx.toString());
    o.setOutput(out.toString());
    return o;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> summary(Path out) throws IOException {
    return new ObjectMapper().readValue(out.resolve("summary.json").toFile(), Map.class);
  }

  static <T> List<T> readAvro(Path dir, Class<T> type) throws IOException {
    List<T> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(x -> x.toString().endsWith(".avro")).sorted().toList()) {
        try (DataFileReader<T> r = new DataFileReader<>(p.toFile(), new SpecificDatumReader<>(type))) {
          r.forEach(out::add);
        }
      }
    }
    return out;
  }

  @Test
  void everyRowIsKeptFilteredOrDeadLetteredWithHandCountedTotals() throws Exception {
    ChexpertFixture f = ChexpertFixture.write(tmp.resolve("data"));
    Path out = tmp.resolve("cohort");
    CohortPipeline.run(options(f, out));

    Map<String, Object> s = summary(out);
    assertThat(s.get("image_rows"), is(68));
    assertThat(s.get("kept"), is(12));
    assertThat(s.get("patients"), is(12));
    assertThat(s.get("reconciles"), is(true));
    Map<String, Object> filtered = (Map<String, Object>) s.get("filtered");
    assertThat(new ArrayList<>(filtered.values()), equalTo(List.of(2, 2, 26, 10, 12, 1)));
    assertThat(filtered.keySet().iterator().next(), equalTo("no demographics"));
    assertThat(s.get("dead_letters"), equalTo(Map.of("ReadChexpertCsv", 3, "JoinDemographics", 2)));
    assertThat(s.get("by_race"), equalTo(Map.of("White", 5, "Black", 3, "Asian", 4)));
    assertThat(s.get("by_sex"), equalTo(Map.of("Male", 6, "Female", 6)));
    // 12 patients: round(0.6*12)=7, round(0.1*12)=1, rest 4
    assertThat(s.get("patients_by_split"), equalTo(Map.of("train", 7, "validate", 1, "test", 4)));
    assertThat(Files.exists(out.resolve(StageOutput.MANIFEST)), is(true));

    List<CohortRecord> cohort = readAvro(out.resolve("cohort"), CohortRecord.class);
    assertThat(cohort, hasSize(12));
    Map<String, Integer> disease = new HashMap<>();
    cohort.forEach(r -> disease.merge(r.getDisease(), 1, Integer::sum));
    assertThat(disease, equalTo(Map.of("Pleural Effusion", 6, "No Finding", 2, "Other", 4)));
    CohortRecord p1 = cohort.stream().filter(r -> r.getPatientId().equals("patient00001")).findFirst().orElseThrow();
    assertThat(p1.getDisease(), equalTo("Pleural Effusion")); // NF=1 and PE=1: PE overrides
    assertThat(p1.getPathPreproc(), equalTo("preproc_224x224/patient00001_study1_view1_frontal.jpg"));
    assertThat(p1.getRace(), equalTo("Black"));
    assertThat(p1.getRaceLabel(), is(2));
    assertThat(p1.getSexLabel(), is(0));

    List<DeadLetter> dead = readAvro(out.resolve("dead_letters"), DeadLetter.class);
    assertThat(dead, hasSize(5));
    Set<String> reasons = new HashSet<>();
    dead.forEach(d -> reasons.add(d.getReason()));
    assertThat(reasons.toString(), containsString("age 'abc' is not a number"));
    assertThat(reasons.toString(), containsString("unknown label value '2.0' in column 'No Finding'"));
    assertThat(reasons.toString(), containsString("malformed path"));
    assertThat(reasons.toString(), containsString("patient00401 is listed 2 times"));
  }

  @Test
  void notebookCsvsFollowTheDemographicsOrderAndCarryAnId() throws Exception {
    ChexpertFixture f = ChexpertFixture.write(tmp.resolve("data"));
    Path out = tmp.resolve("cohort");
    CohortPipeline.run(options(f, out));

    List<String> all = Files.readAllLines(out.resolve("chexpert.sample.csv"));
    assertThat(all.get(0), startsWith(",Unnamed: 0,patient_id,race,ethnicity,Path,sex,age,Frontal/Lateral,AP/PA,No Finding,"));
    assertThat(all.get(0), containsString(",Support Devices,Unnamed: 0.1,split,race_label,sex_label,disease,disease_label,path_preproc,id"));
    assertThat(all, hasSize(13));
    // sheet order: P01..P11 then D01
    assertThat(all.get(1), startsWith("0,0,patient00001,Black,Non-Hispanic/Non-Latino,CheXpert-v1.0/train/patient00001/study1/view1_frontal.jpg,Male,20,Frontal,AP,1.0,,-1.0,"));
    assertThat(all.get(12), containsString("patient00501"));
    int lines = 0;
    for (String split : List.of("train", "val", "test")) {
      lines += Files.readAllLines(out.resolve("chexpert.sample." + split + ".csv")).size() - 1;
    }
    assertThat(lines, is(12));
    List<String> white = Files.readAllLines(out.resolve("chexpert.sample.train.white.csv"));
    white.subList(1, white.size()).forEach(l -> assertThat(l, containsString(",White,")));
    assertThat(Files.exists(out.resolve("chexpert.sample.val.male.csv")), is(true));
  }

  @Test
  void splitFileIsHonouredExactlyAndItsBadRowsAreDeadLetters() throws Exception {
    ChexpertFixture f = ChexpertFixture.write(tmp.resolve("data"));
    Path split = tmp.resolve("split.csv");
    StringBuilder s = new StringBuilder(",index,split\n");
    String[] names = {"train", "validate", "test"};
    for (int i = 0; i < 6; i++) {
      s.append(i).append(',').append(f.frontalRows.get(i)).append(',').append(names[i % 3]).append('\n');
    }
    s.append("6,").append(f.frontalRows.get(0)).append(",test\n"); // repeated index
    s.append("7,999,train\n"); // no such row
    s.append("8,oops,train\n"); // malformed
    Files.writeString(split, s.toString());
    CohortOptions o = options(f, tmp.resolve("cohort"));
    o.setSplitCsv(split.toString());
    CohortPipeline.run(o);

    Map<String, Object> sum = summary(tmp.resolve("cohort"));
    assertThat(sum.get("kept"), is(6));
    assertThat(((Map<?, ?>) sum.get("filtered")).get("not in split file"), is(59));
    assertThat(sum.get("by_split"), equalTo(Map.of("train", 2, "validate", 2, "test", 2)));
    assertThat(((Map<?, ?>) sum.get("dead_letters")).get("JoinSplitFile"), is(3));
    assertThat(sum.get("reconciles"), is(true));
    List<CohortRecord> cohort = readAvro(tmp.resolve("cohort/cohort"), CohortRecord.class);
    CohortRecord first = cohort.stream().filter(r -> r.getRowIndex() == f.frontalRows.get(0)).findFirst().orElseThrow();
    assertThat(first.getSplit(), equalTo("train"));
    assertThat(first.getSplitFileRow(), is(0L));
  }

  @Test
  void sameSeedGivesTheSameSplitAndOtherSeedsMayNot() throws Exception {
    ChexpertFixture f = ChexpertFixture.write(tmp.resolve("data"));
    CohortPipeline.run(options(f, tmp.resolve("a")));
    CohortPipeline.run(options(f, tmp.resolve("b")));
    assertThat(Files.readAllLines(tmp.resolve("a/chexpert.sample.csv")),
        equalTo(Files.readAllLines(tmp.resolve("b/chexpert.sample.csv"))));
  }

  @Test
  void refusesToReplaceAFinishedOutputWithoutOverwrite() throws Exception {
    ChexpertFixture f = ChexpertFixture.write(tmp.resolve("data"));
    Path out = tmp.resolve("cohort");
    CohortPipeline.run(options(f, out));
    StageOutput.StageOutputException e =
        assertThrows(StageOutput.StageOutputException.class, () -> CohortPipeline.run(options(f, out)));
    assertThat(e.getMessage(), containsString("--overwrite"));
    CohortOptions o = options(f, out);
    o.setOverwrite(true);
    CohortPipeline.run(o);
    try (Stream<Path> siblings = Files.list(tmp)) {
      assertThat(siblings.filter(p -> p.getFileName().toString().startsWith(".")).toList(), empty());
    }
  }

  @Test
  void missingColumnOrFileFailsAtStartNamingIt() throws Exception {
    ChexpertFixture f = ChexpertFixture.write(tmp.resolve("data"));
    Files.writeString(f.trainCsv, "Path,Sex,Age\nx,Male,3\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CohortPipeline.run(options(f, tmp.resolve("out"))));
    assertThat(e.getMessage(), containsString("lacks required column(s) [Frontal/Lateral, AP/PA, No Finding"));
    assertThat(Files.exists(tmp.resolve("out")), is(false));

    CohortOptions o = options(f, tmp.resolve("out"));
    o.setDemoXlsx(new File(tmp.toFile(), "nope.xlsx").toString());
    IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> CohortPipeline.run(o));
    assertThat(e2.getMessage(), containsString("--demoXlsx"));
    assertThat(e2.getMessage(), containsString("no such file"));

    o.setDemoXlsx(null); // --demoXlsx is shared with audit, where it is optional: cohort checks it itself
    IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class, () -> CohortPipeline.run(o));
    assertThat(e3.getMessage(), equalTo("--demoXlsx is required"));
    assertThat(Files.exists(tmp.resolve("out")), is(false));
  }
}
