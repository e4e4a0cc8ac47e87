package org.chexaudit.transforms.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every matched file cut into ranges that cover it exactly; a pattern that matches nothing is named. */
class SplitFilesTest {
  @TempDir Path tmp;

  @Test
  void rangesCoverEveryMatchedFileOnce() throws Exception {
    Files.write(tmp.resolve("a.csv"), new byte[25]);
    Files.write(tmp.resolve("b.csv"), new byte[10]);
    Files.write(tmp.resolve("c.csv"), new byte[0]);
    Files.write(tmp.resolve("other.txt"), new byte[7]);
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    List<String> expected = new ArrayList<>();
    for (String r : new String[] {"a.csv 0-10", "a.csv 10-20", "a.csv 20-25", "b.csv 0-10", "c.csv 0-0"}) {
      expected.add(tmp.resolve(r).toString());
    }
    PAssert.that(p.apply(SplitFiles.of(tmp.resolve("*.csv").toString()).withRangeBytes(10))
            .apply(MapElements.into(TypeDescriptors.strings())
                .via((FileRange r) -> r.file() + " " + r.start() + "-" + r.end())))
        .containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  @Test
  void aPatternThatMatchesNothingIsNamed() {
    for (String missing : new String[] {"missing-*.csv", "missing.csv"}) {
      Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
      p.apply(SplitFiles.of(tmp.resolve(missing).toString()));
      Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
      assertThat(String.valueOf(e.getMessage()), containsString("no file matches " + tmp.resolve(missing)));
    }
  }
}
