package org.chexaudit.pipelines;

import org.chexaudit.pipelines.stage.AvroFiles;
import org.chexaudit.pipelines.stage.StageOutput;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.options.ResampleOptions;
import org.chexaudit.schemas.CohortRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resample command on a small cohort with unequal races, prevalences and ages. */
class ResamplePipelineTest {
  static ResampleOptions options(Path cohort, Path out, String... extra) {
    String[] args = new String[extra.length + 2];
    args[0] = "--cohort=" + cohort;
    args[1] = "--output=" + out;
    System.arraycopy(extra, 0, args, 2, extra.length);
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(ResampleOptions.class);
  }

  static Path cohort(Path dir) throws Exception {
    Path c = dir.resolve("cohort-stage");
    ExploreFixture.writeCohort(c, ExploreFixture.cohort(new int[] {400, 120, 80}, 5));
    return c;
  }

  @Test
  void balancesRacesAndPrevalenceAndKeepsOriginalIds(@TempDir Path dir) throws Exception {
    Path c = cohort(dir);
    Path out = dir.resolve("resample");
    ResamplePipeline.run(options(c, out));
    List<CohortRecord> drawn = AvroFiles.readAll(out.resolve("cohort"), CohortRecord.class, "out");
    assertThat(drawn.size(), is(1800));
    Map<String, Long> byRace = drawn.stream().collect(Collectors.groupingBy(CohortRecord::getRace, TreeMap::new,
        Collectors.counting()));
    for (long n : byRace.values()) {
      assertThat((double) n, closeTo(600, 90)); // race-balanced draw of 1800 rows
    }
    Set<String> testIds = ExploreFixture.cohort(new int[] {400, 120, 80}, 5).stream()
        .filter(r -> "test".equals(r.getSplit())).map(CohortRecord::getId).collect(Collectors.toSet());
    assertThat(drawn.stream().allMatch(r -> testIds.contains(r.getId())), is(true));
    assertThat(drawn.stream().map(CohortRecord::getId).distinct().count() < drawn.size(), is(true));

    // Pleural Effusion prevalence differs by race before (0.2 / 0.4 / 0.6 planted) and is equal after.
    List<String> prevalence = Files.readAllLines(out.resolve("prevalence.csv"));
    assertThat(prevalence.get(0), is("sample,race,No Finding,Pleural Effusion,Other"));
    assertThat(prevalence.size(), is(7));
    assertThat(prevalence.get(1), startsWith("before,White,"));
    assertThat(prevalence.get(4), startsWith("after,White,"));
    double before = Math.abs(effusion(prevalence.get(1)) - effusion(prevalence.get(3)));
    double after = Math.abs(effusion(prevalence.get(4)) - effusion(prevalence.get(6)));
    assertThat(before, closeTo(0.4, 0.15));
    assertThat(after, lessThan(0.1));

    List<String> csv = Files.readAllLines(out.resolve("chexpert.resample.test.csv"));
    assertThat(csv.size(), is(1801));
    assertThat(csv.get(0), startsWith(",Unnamed: 0,patient_id,race,"));
    assertThat(csv.get(0), containsString(",id"));
    assertThat(Files.exists(out.resolve(StageOutput.MANIFEST)), is(true));
    assertThat(StageOutput.readManifest(out).get("counts").toString(), containsString("resampled_rows=1800"));
    ManifestOptionsTest.assertRecordsEveryOption(out, ResampleOptions.class);
  }

  @Test
  void sameSeedSameFilesOtherSeedOtherDraw(@TempDir Path dir) throws Exception {
    Path c = cohort(dir);
    ResamplePipeline.run(options(c, dir.resolve("a"), "--sizeFactor=2"));
    ResamplePipeline.run(options(c, dir.resolve("b"), "--sizeFactor=2", "--targetParallelism=3"));
    ResamplePipeline.run(options(c, dir.resolve("c"), "--sizeFactor=2", "--seed=7"));
    String name = "chexpert.resample.test.csv";
    List<String> a = Files.readAllLines(dir.resolve("a").resolve(name));
    assertThat(a.size(), is(1201));
    assertThat(Files.readAllLines(dir.resolve("b").resolve(name)), is(a));
    assertThat(Files.readAllLines(dir.resolve("c").resolve(name)).equals(a), is(false));
    assertThat(Files.readAllLines(dir.resolve("b").resolve("prevalence.csv")),
        is(Files.readAllLines(dir.resolve("a").resolve("prevalence.csv"))));
  }

  @Test
  void missingSplitNamesTheOption(@TempDir Path dir) throws Exception {
    Path c = cohort(dir);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ResamplePipeline.run(options(c, dir.resolve("o"), "--split=validate")));
    assertThat(e.getMessage(), containsString("no records of split 'validate'"));
    assertThat(Files.exists(dir.resolve("o")), is(false));
  }

  private static double effusion(String line) {
    return Double.parseDouble(line.split(",")[3]);
  }
}
