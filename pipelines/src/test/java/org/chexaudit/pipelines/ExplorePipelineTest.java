package org.chexaudit.pipelines;

import org.chexaudit.pipelines.stage.AvroFiles;
import org.chexaudit.pipelines.stage.StageOutput;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.options.ExploreOptions;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.KsTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The explore command on synthetic embeddings where Asian rows are shifted along one direction. */
class ExplorePipelineTest {
  static ExploreOptions options(Path predict, Path cohort, Path out, String... extra) {
    String[] args = new String[extra.length + 3];
    args[0] = "--predictions=" + predict;
    args[1] = "--cohort=" + cohort;
    args[2] = "--output=" + out;
    System.arraycopy(extra, 0, args, 3, extra.length);
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(ExploreOptions.class);
  }

  @Test
  void ksTableRejectsThePlantedShiftOnlyAndPlotsAreWritten(@TempDir Path dir) throws Exception {
    List<CohortRecord> cohort = ExploreFixture.cohort(new int[] {200, 200, 160}, 11);
    Path c = dir.resolve("cohort");
    Path p = dir.resolve("predict");
    ExploreFixture.writeCohort(c, cohort);
    ExploreFixture.writePredictOutput(p, cohort, 1, 2.5, 2, 12); // Asian shifted; every id twice
    Path out = dir.resolve("explore");
    ExplorePipeline.run(options(p, c, out, "--samplePerGroup=150", "--tsneMaxPoints=500", "--seed=3"));

    List<String> ks = Files.readAllLines(out.resolve("ks_tests.csv"));
    assertThat(ks.get(0), is(ExploreReport.KS_HEADER));
    assertThat(ks.size(), is(31));
    assertThat(ks.get(1), containsString("PCA Mode 1,Pleural Effusion vs No Finding,"));
    assertThat(ks.get(2), containsString("PCA Mode 1,Asian vs White,150,150,"));
    boolean shiftFound = ks.stream().anyMatch(l -> l.startsWith("PCA Mode") && l.contains(",Asian vs White,")
        && l.endsWith(",true"));
    assertThat("planted Asian shift rejected on a PCA mode", shiftFound, is(true));
    assertThat("White and Black share one distribution",
        ks.stream().noneMatch(l -> l.contains(",White vs Black,") && l.endsWith(",true")), is(true));
    assertThat("sex has no effect",
        ks.stream().noneMatch(l -> l.contains(",Female vs Male,") && l.endsWith(",true")), is(true));
    assertThat(AvroFiles.readAll(out, KsTest.class, "out").size(), is(30));

    // Black has 160 rows, 320 with copies, so 150 are sampled from each race; 900+ rows > 500 for t-SNE.
    assertThat(Files.readAllLines(out.resolve("sample.csv")).size(), is(451));
    assertThat(Files.readAllLines(out.resolve("sample.csv")).get(0), is("id,race,sex,age,disease,Logit - No Finding,"
        + "Logit - Pleural Effusion,PCA Mode 1,PCA Mode 2,PCA Mode 3,PCA Mode 4,t-SNE 1,t-SNE 2"));
    assertThat(Files.readAllLines(out.resolve("tsne.csv")).size(), is(501));
    List<String> ev = Files.readAllLines(out.resolve("explained_variance.csv"));
    assertThat(ev.get(0), is("mode,explained_variance_ratio,cumulative,kept"));
    assertThat(ev.size(), is(9));
    for (String method : List.of("logit", "pca-mode-1+2", "pca-mode-3+4", "tsne")) {
      for (String hue : List.of("disease", "sex", "age", "race")) {
        Path png = out.resolve(method + "-" + hue + ".png");
        assertThat(png + " written", Files.size(png) > 5000, is(true));
      }
    }
    assertThat(Files.exists(out.resolve("explained_variance.png")), is(true));
    assertThat(Files.exists(out.resolve(".work")), is(false));
    assertThat(StageOutput.readManifest(out).get("counts").toString(), containsString("embeddings=1120"));
    ManifestOptionsTest.assertRecordsEveryOption(out, ExploreOptions.class);
  }

  @Test
  void smallRaceIsTakenWholeWithANoteAndRunIsDeterministic(@TempDir Path dir) throws Exception {
    List<CohortRecord> cohort = ExploreFixture.cohort(new int[] {120, 120, 40}, 21);
    Path c = dir.resolve("cohort");
    Path p = dir.resolve("predict");
    ExploreFixture.writeCohort(c, cohort);
    ExploreFixture.writePredictOutput(p, cohort, 1, 0.0, 1, 22);
    ExplorePipeline.run(options(p, c, dir.resolve("a"), "--samplePerGroup=100", "--tsne=false"));
    ExplorePipeline.run(options(p, c, dir.resolve("b"), "--samplePerGroup=100", "--tsne=false",
        "--targetParallelism=3"));
    assertThat(StageOutput.readManifest(dir.resolve("a")).get("counts").toString(),
        containsString("race Black has only 40 rows"));
    assertThat(Files.readAllLines(dir.resolve("b").resolve("ks_tests.csv")),
        is(Files.readAllLines(dir.resolve("a").resolve("ks_tests.csv"))));
    assertThat(Files.readAllLines(dir.resolve("b").resolve("sample.csv")),
        is(Files.readAllLines(dir.resolve("a").resolve("sample.csv"))));
    assertThat(Files.exists(dir.resolve("a").resolve("tsne.csv")), is(false));
    assertThat(Files.exists(dir.resolve("a").resolve("logit-race.png")), is(true));
  }
}
