package org.chexaudit.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FakeSchemeFileSystem;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.options.ChexclusionEvalOptions;
import org.chexaudit.pipelines.options.ExploreOptions;
import org.chexaudit.pipelines.options.ReportOptions;
import org.chexaudit.pipelines.report.ReportCommand;
import org.chexaudit.pipelines.stage.StageOutput;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.transforms.io.Resources;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code metrics}, {@code explore}, {@code chexclusion-eval} and {@code report} read and write only through
 * Beam's file systems: given {@code file:///} URIs, paths relative to the working directory, or a scheme
 * only Beam knows ({@code fakefs://}, a local folder under another name, registered in the test
 * resources), they write the same files as with plain local paths, and nothing named {@code fakefs:} in
 * the working directory.
 */
class AnyFileSystemTest {
  @BeforeAll
  static void registerFakeScheme() {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
  }

  private static String fake(Path p) {
    return FakeSchemeFileSystem.SCHEME + "://" + p.toAbsolutePath();
  }

  private static String uri(Path p) {
    return p.toAbsolutePath().toUri().toString();
  }

  private static String relative(Path p) {
    return Path.of("").toAbsolutePath().relativize(p.toAbsolutePath()).toString();
  }

  @Test
  void metricsWritesTheSameFilesThroughAnyFileSystem(@TempDir Path dir) throws Exception {
    Path preds = MetricsPipelineTest.writePredictions(dir);
    Path local = dir.resolve("local");
    String[] knobs = {"--bootstrap=20", "--groupThresholds=race"};
    MetricsPipeline.run(MetricsPipelineTest.options(preds, local, knobs));
    MetricsPipeline.run(MetricsPipelineTest.options(preds, local, with(knobs, "--predictions=" + uri(preds),
        "--output=" + fake(dir.resolve("fake")))));
    MetricsPipeline.run(MetricsPipelineTest.options(preds, local, with(knobs, "--predictions=" + relative(preds),
        "--output=" + relative(dir.resolve("relative")))));
    assertThat(Files.exists(local.resolve("group_thresholds.csv")), is(true));
    assertSameOutput(local, dir.resolve("fake"));
    assertSameOutput(local, dir.resolve("relative"));
  }

  @Test
  void exploreWritesTheSameFilesThroughAnyFileSystem(@TempDir Path dir) throws Exception {
    List<CohortRecord> cohort = ExploreFixture.cohort(new int[] {60, 60, 40}, 5);
    Path c = dir.resolve("cohort");
    Path p = dir.resolve("predict");
    ExploreFixture.writeCohort(c, cohort);
    ExploreFixture.writePredictOutput(p, cohort, 1, 2.5, 2, 12);
    String[] knobs = {"--samplePerGroup=30", "--tsneMaxPoints=120", "--seed=3"};
    Path local = dir.resolve("local");
    ExplorePipeline.run(explore(with(knobs, "--predictions=" + p, "--cohort=" + c, "--output=" + local)));
    ExplorePipeline.run(explore(with(knobs, "--predictions=" + fake(p), "--cohort=" + uri(c),
        "--output=" + fake(dir.resolve("fake")))));
    ExplorePipeline.run(explore(with(knobs, "--predictions=" + relative(p), "--cohort=" + relative(c),
        "--output=" + relative(dir.resolve("relative")))));
    assertSameOutput(local, dir.resolve("fake"));
    assertSameOutput(local, dir.resolve("relative"));
    assertThat("the .work/ bridge is cleared", Resources.hasFiles(Resources.dir(fake(dir.resolve("fake/.work")))),
        is(false));
    assertThat(Files.exists(dir.resolve("relative/.work")), is(false));
  }

  @Test
  void chexclusionEvalWritesTheSameFilesThroughAnyFileSystem(@TempDir Path dir) throws Exception {
    Path runs = ChexclusionPipelineTest.writeRuns(dir, 3);
    Path local = dir.resolve("local");
    ChexclusionPipeline.run(ChexclusionPipelineTest.options(runs, local));
    List<String> args = new ArrayList<>();
    for (String a : ChexclusionPipelineTest.args(runs, local)) {
      if (!a.startsWith("--runs=") && !a.startsWith("--groupsFile=") && !a.startsWith("--output=")) {
        args.add(a);
      }
    }
    args.add("--runs=" + fake(runs.resolve("seed30")) + "," + uri(runs.resolve("seed31")) + ","
        + relative(runs.resolve("seed32")));
    args.add("--groupsFile=" + fake(runs.resolve("groups.csv")));
    args.add("--output=" + fake(dir.resolve("fake")));
    ChexclusionPipeline.run(PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).withValidation()
        .as(ChexclusionEvalOptions.class));
    assertSameOutput(local, dir.resolve("fake"));
  }

  @Test
  void reportReadsAndWritesThroughAnyFileSystem(@TempDir Path dir) throws Exception {
    Path preds = MetricsPipelineTest.writePredictions(dir);
    Path run = dir.resolve("run");
    MetricsPipeline.run(MetricsPipelineTest.options(preds, run.resolve("metrics/disease"), "--bootstrap=20"));
    String local = Resources.readString(ReportCommand.run(report(run.toString(), dir.resolve("report").toString())));
    ResourceId index = ReportCommand.run(report(fake(run), fake(dir.resolve("report-fake"))));
    assertThat(index.getScheme(), is(FakeSchemeFileSystem.SCHEME));
    String viaFake = Resources.readString(index);
    assertThat(viaFake.replace(fake(run), run.toString()), equalTo(local));
    assertThat(local.contains("<h2 id=\"roc\">"), is(true));
    assertThat(Files.exists(Path.of("fakefs:")), is(false));
  }

  private static ReportOptions report(String run, String out) {
    ReportOptions o = PipelineOptionsFactory.as(ReportOptions.class);
    o.setRun(run);
    o.setOutput(out);
    return o;
  }

  private static ExploreOptions explore(String... args) {
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(ExploreOptions.class);
  }

  private static String[] with(String[] knobs, String... more) {
    List<String> all = new ArrayList<>(List.of(knobs));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  /** Every file but the manifest byte for byte; Avro files record for record (their sync markers differ). */
  private static void assertSameOutput(Path expected, Path actual) throws IOException {
    assertThat("nothing written to a folder named after the scheme", Files.exists(Path.of("fakefs:")), is(false));
    Map<String, Object> a = contents(expected);
    Map<String, Object> b = contents(actual);
    assertThat(b.keySet(), equalTo(a.keySet()));
    for (String name : a.keySet()) {
      assertThat(actual + "/" + name, b.get(name), equalTo(a.get(name)));
    }
    assertThat(a.isEmpty(), not(true));
  }

  private static Map<String, Object> contents(Path dir) throws IOException {
    Map<String, Object> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        String name = dir.relativize(f).toString();
        if (name.equals(StageOutput.MANIFEST)) {
          continue;
        }
        if (name.endsWith(".avro")) {
          List<String> records = new ArrayList<>();
          try (DataFileReader<GenericRecord> r = new DataFileReader<>(f.toFile(), new GenericDatumReader<>())) {
            r.forEach(x -> records.add(x.toString()));
          }
          records.sort(null);
          out.put(name, records);
        } else {
          out.put(name, new String(java.util.Base64.getEncoder().encode(Files.readAllBytes(f))));
        }
      }
    }
    return out;
  }
}
