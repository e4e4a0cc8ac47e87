package org.chexaudit.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each module's sources refer to no package its layer forbids (DESIGN.md, "Modules"): the core is
 * plain Java, the transforms have no TensorFlow, the models and the generator have no Beam.
 */
class ModuleBoundariesTest {
  @ParameterizedTest(name = "{0} does not use {1}")
  @CsvSource({
      "core, org.apache.beam|org.tensorflow|org.chexaudit.models|org.chexaudit.transforms|org.chexaudit.synth|org.chexaudit.pipelines",
      "synth, org.apache.beam|org.tensorflow|org.chexaudit.models|org.chexaudit.transforms|org.chexaudit.pipelines",
      "models, org.apache.beam|org.chexaudit.transforms|org.chexaudit.pipelines",
      "transforms, org.tensorflow|org.chexaudit.models|org.chexaudit.transforms.ml|org.chexaudit.synth|org.chexaudit.pipelines",
      "transforms-ml, org.chexaudit.synth|org.chexaudit.pipelines",
  })
  void moduleRefersToNoForbiddenPackage(String module, String forbidden) throws IOException {
    Path sources = Path.of("..", module, "src", "main", "java");
    List<String> offences = new ArrayList<>();
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path f : (Iterable<Path>) files.filter(x -> x.toString().endsWith(".java"))::iterator) {
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          for (String pkg : forbidden.split("\\|")) {
            if (lines.get(i).contains(pkg + ".")) {
              offences.add(sources.relativize(f) + ":" + (i + 1) + " uses " + pkg);
            }
          }
        }
      }
    }
    assertThat(module + " has sources", Files.isDirectory(sources));
    assertThat(offences, empty());
  }

  /**
   * A {@code TupleTag} created in a static initializer without an id is numbered by a counter in Beam's
   * {@code TupleTag} class; on a Flink cluster that holds Beam (thin jars) every job's class loader runs the
   * initializer again against the same counter, so a DoFn's tag no longer matches the one its ParDo declared
   * ("Unknown output tag RunInference#2" on the second predict job). Static tags carry an explicit id.
   */
  @ParameterizedTest(name = "{0}: every static TupleTag has an explicit id")
  @CsvSource({"transforms", "transforms-ml", "pipelines", "examples"})
  void staticTupleTagsHaveExplicitIds(String module) throws IOException {
    assertThat(linesMatching(module, ".*static final TupleTag<.*new TupleTag<[^>]*>\\(\\).*"), empty());
  }

  /**
   * Beam's {@code SerializableCoder} resolves classes through the loader that holds Beam; on a Flink cluster
   * that holds Beam and takes thin job jars it cannot see the job's classes ("ClassNotFoundException:
   * ...CsvRanges$Range" in Flink's sort thread, found only by the slow AuditOnClusterTest). The project's
   * {@code JavaSerializationCoder} resolves them through the element type's loader.
   */
  @ParameterizedTest(name = "{0}: Java serialization through JavaSerializationCoder only")
  @CsvSource({"transforms", "transforms-ml", "pipelines", "examples"})
  void noBeamSerializableCoder(String module) throws IOException {
    assertThat(linesMatching(module, ".*(\\bSerializableCoder\\.of\\(|import org\\.apache\\.beam\\.sdk\\.coders\\.SerializableCoder;).*"),
        empty());
  }

  /** "file:line" of each line of the module's main sources matching {@code regex}. */
  private static List<String> linesMatching(String module, String regex) throws IOException {
    Path sources = Path.of("..", module, "src", "main", "java");
    List<String> offences = new ArrayList<>();
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path f : (Iterable<Path>) files.filter(x -> x.toString().endsWith(".java"))::iterator) {
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          if (lines.get(i).matches(regex)) {
            offences.add(sources.relativize(f) + ":" + (i + 1));
          }
        }
      }
    }
    return offences;
  }
}
