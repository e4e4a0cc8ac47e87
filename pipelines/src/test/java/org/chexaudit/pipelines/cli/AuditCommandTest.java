package org.chexaudit.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.options.AuditOptions;
import org.chexaudit.pipelines.options.ExploreInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit's plan and resume rule; the whole run is exercised by the slow PlantedEffectsTest. */
class AuditCommandTest {
  @TempDir Path run;

  private AuditOptions options() {
    AuditOptions o = PipelineOptionsFactory.as(AuditOptions.class);
    o.setOutput(run.toString());
    return o;
  }

  @Test
  void generatedDataRunsEveryStageInStudyOrderWithDemoDefaults() {
    List<AuditCommand.Stage> plan = AuditCommand.plan(options(), run);
    List<String> dirs = plan.stream().map(AuditCommand.Stage::dir).toList();
    assertThat(dirs.subList(0, 4), contains("synth", "cohort", "images", "models/disease"));
    assertThat(dirs, hasItem("models/race-split"));
    assertThat(dirs, hasItem("metrics/sex-split"));
    assertThat(dirs.get(dirs.size() - 1), equalTo("report"));
    AuditCommand.Stage train = plan.get(3);
    assertThat(train.args(), hasItem("--arch=smallcnn"));
    assertThat(train.args(), hasItem("--epochs=8"));
  }

  @Test
  void chexpertRunUsesTheOriginalSettingsAndNeedsTheSpreadsheet() throws Exception {
    AuditOptions o = options();
    java.nio.file.Files.createDirectories(run.resolve("CheXpert-v1.0"));
    java.nio.file.Files.writeString(run.resolve("CheXpert-v1.0/train.csv"), "Path\n");
    o.setChexpertDir(run.resolve("CheXpert-v1.0").toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AuditCommand.plan(o, run));
    assertThat(e.getMessage(), equalTo("--demoXlsx is required with --chexpertDir"));
    o.setDemoXlsx(run.resolve("demo.xlsx").toString());
    List<AuditCommand.Stage> plan = AuditCommand.plan(o, run);
    assertThat(plan.get(0).dir(), equalTo("cohort"));
    AuditCommand.Stage train = plan.stream().filter(s -> s.dir().equals("models/disease")).findFirst().orElseThrow();
    assertThat(train.args(), hasItem("--arch=densenet121"));
    assertThat(train.args(), hasItem("--batchSize=150"));
    assertThat(train.args().stream().anyMatch(a -> a.startsWith("--epochs")), equalTo(false));
  }

  @Test
  void aSeedTheUserGaveReachesTheCohortSplitAndNoneKeepsTheOriginals() {
    AuditOptions o = options();
    AuditCommand.Stage cohort = AuditCommand.plan(o, run).get(1);
    assertThat(cohort.dir(), equalTo("cohort"));
    assertThat(cohort.args().stream().anyMatch(a -> a.startsWith("--seed")), equalTo(false));
    o.setSeed(7L);
    assertThat(AuditCommand.plan(o, run).get(1).args(), hasItem("--seed=7"));
  }

  @Test
  void aStagesFingerprintChangesWithItsOptionsAndWithWhatItReads() {
    Map<String, String> upstream = new HashMap<>(Map.of("synth", "x"));
    String fp = AuditCommand.fingerprint("cohort", List.of("--a=1"), List.of("synth"), upstream, run);
    assertThat(AuditCommand.fingerprint("cohort", List.of("--a=1"), List.of("synth"), upstream, run), equalTo(fp));
    assertThat(AuditCommand.fingerprint("cohort", List.of("--a=2"), List.of("synth"), upstream, run), not(equalTo(fp)));
    upstream.put("synth", "y");
    assertThat(AuditCommand.fingerprint("cohort", List.of("--a=1"), List.of("synth"), upstream, run), not(equalTo(fp)));
  }

  @Test
  void eachStageIsGivenExactlyTheOptionsThePlanSet() {
    AuditOptions o = options();
    o.setSynthOptions("--rows=7 --prevalenceShifts=\"Pleural Effusion@Black=2\"");
    List<AuditCommand.Stage> plan = AuditCommand.plan(o, run);
    assertThat(plan.get(0).args(), contains("--patients=" + o.getPatients(),
        "--prevalenceShifts=Pleural Effusion@Black=2", "--rows=7", "--seed=42"));
    AuditCommand.Stage sex = plan.stream().filter(s -> s.dir().equals("metrics/sex-split")).findFirst().orElseThrow();
    assertThat(sex.args(), contains("--bootstrap=200", "--groupColumns=race",
        "--groupsFile=" + run.resolve("cohort/chexpert.sample.test.csv"), "--idColumn=id", "--inSampleThreshold=true",
        "--labelNames=Female", "--predictions=" + run.resolve("predictions/sex-split/predictions.test.csv"), "--scoreColumns=class_1",
        "--seed=42", "--targetColumns=target", "--thresholdRule=youden", "--thresholdScope=PER_GROUP"));
    AuditCommand.Stage raceSplit = plan.stream().filter(s -> s.dir().equals("metrics/race-split")).findFirst().orElseThrow();
    assertThat(raceSplit.args(), hasItem("--bootstrapStrata=race"));
    AuditCommand.Stage disease = plan.stream().filter(s -> s.dir().equals("metrics/disease")).findFirst().orElseThrow();
    assertThat(disease.args(), hasItem("--scoreColumns=class_0,class_10"));
    assertThat(disease.args(), hasItem("--labelNames=No Finding,Pleural Effusion"));
    AuditCommand.Stage race = plan.stream().filter(s -> s.dir().equals("metrics/race")).findFirst().orElseThrow();
    assertThat(race.args(), hasItem("--labelNames=White,Asian,Black"));
    AuditCommand.Stage predict = plan.stream().filter(s -> s.dir().equals("predictions/sex")).findFirst().orElseThrow();
    assertThat(predict.args(), hasItem("--embeddings=false"));
  }

  @Test
  void exploreRunsOnTheScoredResampleByDefaultAsTheOriginalExplorer() {
    List<AuditCommand.Stage> plan = AuditCommand.plan(options(), run);
    List<String> dirs = plan.stream().map(AuditCommand.Stage::dir).toList();
    assertThat(dirs.indexOf("resample") < dirs.indexOf("images-resample"), equalTo(true));
    assertThat(dirs.indexOf("images-resample") < dirs.indexOf("predictions/disease-resample"), equalTo(true));
    AuditCommand.Stage images = plan.get(dirs.indexOf("images-resample"));
    assertThat(images.args(), hasItem("--cohort=" + run.resolve("resample")));
    assertThat(images.args(), hasItem("--splits=test"));
    AuditCommand.Stage explore = plan.get(dirs.indexOf("explore"));
    assertThat(explore.args(), hasItem("--predictions=" + run.resolve("predictions/disease-resample")));
    assertThat(explore.args(), hasItem("--cohort=" + run.resolve("resample")));
    assertThat(explore.reads(), contains("predictions/disease-resample", "resample"));
  }

  @Test
  void exploreOnTestUsesThePlainTestPredictions() {
    AuditOptions o = options();
    o.setExploreOn(ExploreInput.test);
    List<AuditCommand.Stage> plan = AuditCommand.plan(o, run);
    List<String> dirs = plan.stream().map(AuditCommand.Stage::dir).toList();
    assertThat(dirs, not(hasItem("images-resample")));
    AuditCommand.Stage explore = plan.get(dirs.indexOf("explore"));
    assertThat(explore.args(), hasItem("--predictions=" + run.resolve("predictions/disease")));
    assertThat(explore.args(), hasItem("--cohort=" + run.resolve("cohort")));
  }

  @Test
  void anUnknownSynthOptionFailsThePlan() {
    AuditOptions o = options();
    o.setSynthOptions("--noSuchOption=1");
    assertThrows(IllegalArgumentException.class, () -> AuditCommand.plan(o, run));
  }

  @Test
  void synthOptionsSplitLikeAShell() {
    assertThat(AuditCommand.splitWords(" --a=1  --b=\"x y,z w\" "), contains("--a=1", "--b=x y,z w"));
    assertThrows(IllegalArgumentException.class, () -> AuditCommand.splitWords("--b=\"open"));
  }
}
