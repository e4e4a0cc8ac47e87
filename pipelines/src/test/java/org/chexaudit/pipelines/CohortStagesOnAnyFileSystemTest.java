package org.chexaudit.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FakeSchemeFileSystem;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.options.ChexclusionCohortOptions;
import org.chexaudit.pipelines.options.CohortOptions;
import org.chexaudit.pipelines.options.ResampleOptions;
import org.chexaudit.pipelines.stage.StageOutput;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.DeadLetter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cohort, resample and chexclusion-cohort read and write only through Beam's file systems: given their
 * inputs and output as {@code file:///} URIs, as paths relative to the working directory, or on the
 * {@code fakefs://} scheme of {@link FakeSchemeFileSystem} (which {@code java.nio} cannot open), they write
 * the same files, byte for byte (Avro: the same records), as with plain absolute paths.
 */
class CohortStagesOnAnyFileSystemTest {
  @TempDir Path tmp;

  private static String uri(Path p) {
    return p.toUri().toString();
  }

  private static String fake(Path p) {
    return FakeSchemeFileSystem.SCHEME + "://" + p.toAbsolutePath();
  }

  private static String relative(Path p) {
    return Path.of("").toAbsolutePath().relativize(p.toAbsolutePath()).toString();
  }

  private CohortOptions cohort(ChexpertFixture f, Function<Path, String> path, Path out) {
    CohortOptions o = PipelineOptionsFactory.as(CohortOptions.class);
    o.setTrainCsv(path.apply(f.trainCsv));
    o.setDemoXlsx(path.apply(f.demoXlsx));
    o.setOutput(path.apply(out));
    o.setSubsets("race=White,sex=Male");
    return o;
  }

  @Test
  void cohortAndResampleWriteTheSameFilesOnEveryScheme() throws Exception {
    ChexpertFixture f = ChexpertFixture.write(tmp.resolve("data"));
    Path local = tmp.resolve("local");
    CohortPipeline.run(cohort(f, Path::toString, local));
    ResamplePipeline.run(resample(local.toString(), tmp.resolve("local-resample").toString()));

    for (var scheme : List.<Function<Path, String>>of(CohortStagesOnAnyFileSystemTest::uri,
        CohortStagesOnAnyFileSystemTest::relative, CohortStagesOnAnyFileSystemTest::fake)) {
      Path out = Files.createTempDirectory(tmp, "cohort");
      Files.delete(out);
      CohortPipeline.run(cohort(f, scheme, out));
      assertSameOutput(local, out);
      Path resampled = Files.createTempDirectory(tmp, "resample");
      Files.delete(resampled);
      ResamplePipeline.run(resample(scheme.apply(out), scheme.apply(resampled)));
      assertSameOutput(tmp.resolve("local-resample"), resampled);
    }
  }

  @Test
  void chexclusionCohortWritesTheSameFilesOnTheFakeScheme() throws Exception {
    ChexclusionCohortPipelineTest.writeInputs(tmp);
    ChexclusionCohortOptions plain = ChexclusionCohortPipelineTest.options(tmp, "all");
    plain.setOutput(tmp.resolve("local").toString());
    ChexclusionCohortPipeline.run(plain);

    ChexclusionCohortOptions o = ChexclusionCohortPipelineTest.options(tmp, "all");
    o.setChexpertDir(fake(tmp.resolve("CheXpert-v1.0")));
    o.setMimicLabels(fake(tmp.resolve("chexpert.csv")));
    o.setMimicMetadata(fake(tmp.resolve("meta.csv")));
    o.setNihDataEntry(fake(tmp.resolve("Data_Entry_2017.csv")));
    o.setOutput(fake(tmp.resolve("fake")));
    ChexclusionCohortPipeline.run(o);
    assertSameOutput(tmp.resolve("local"), tmp.resolve("fake"));
  }

  private static ResampleOptions resample(String cohort, String out) {
    return PipelineOptionsFactory.fromArgs("--cohort=" + cohort, "--output=" + out, "--split=train",
        "--sizeFactor=2").withValidation().as(ResampleOptions.class);
  }

  /** Same file names; CSV, JSON and text files byte for byte; Avro folders as the same records. */
  private static void assertSameOutput(Path expected, Path actual) throws Exception {
    List<String> names = files(expected);
    assertThat(files(actual), equalTo(names));
    assertThat(names.stream().filter(n -> n.startsWith(CohortPipeline.WORK_DIR)).toList(), is(empty()));
    for (String name : names) {
      if (name.equals(StageOutput.MANIFEST) || name.endsWith(".avro")) {
        continue;
      }
      assertThat(name, Files.readString(actual.resolve(name)), equalTo(Files.readString(expected.resolve(name))));
    }
    for (String dir : List.of("cohort", "dead_letters")) {
      if (Files.isDirectory(expected.resolve(dir))) {
        Class<?> type = dir.equals("cohort") ? CohortRecord.class : DeadLetter.class;
        assertThat(dir, sorted(CohortPipelineTest.readAvro(actual.resolve(dir), type)),
            equalTo(sorted(CohortPipelineTest.readAvro(expected.resolve(dir), type))));
      }
    }
  }

  /** Records as sorted strings; a dead letter names its file as it was given, so the scheme is dropped. */
  private static List<String> sorted(List<?> records) {
    return records.stream().map(r -> r.toString().replace(FakeSchemeFileSystem.SCHEME + "://", "").replace("file://", "")).sorted().toList();
  }

  /** Relative paths of the files under {@code dir}, Avro shards counted as their folder. */
  private static List<String> files(Path dir) throws Exception {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
          .map(n -> n.endsWith(".avro") ? n.substring(0, n.indexOf('/') + 1) + "*.avro" : n)
          .distinct().sorted().forEach(out::add);
    }
    return out;
  }
}
