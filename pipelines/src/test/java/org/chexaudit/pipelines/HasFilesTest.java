package org.chexaudit.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FakeSchemeFileSystem;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.transforms.io.Resources;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Resources#hasFiles}, which stops at the first file, says what {@link Resources#tree} says, on the local
 * disk and on a scheme only Beam knows ({@code fakefs://}, which like an object store lists files only): a
 * folder of empty folders has none, a file at any depth the tree sees is found.
 */
class HasFilesTest {
  @BeforeAll
  static void registerFakeScheme() {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
  }

  @Test
  void findsAFileWhereTheTreeListsOne(@TempDir Path tmp) throws IOException {
    Map<String, List<String>> layouts = new LinkedHashMap<>();
    layouts.put("missing", null);
    layouts.put("empty", List.of());
    layouts.put("empty folders", List.of("a/b/c/", "d/"));
    layouts.put("top file", List.of("x.txt"));
    layouts.put("deep file beside empty folders", List.of("a/b/", "p/s/v.jpg", "q/"));
    layouts.put("file at the deepest level listed", List.of("1/2/3/4/5/6/7/f"));
    layouts.put("file below it", List.of("1/2/3/4/5/6/7/8/f"));
    Map<String, Boolean> expected = Map.of("missing", false, "empty", false, "empty folders", false, "top file", true,
        "deep file beside empty folders", true, "file at the deepest level listed", true);
    for (Map.Entry<String, List<String>> layout : layouts.entrySet()) {
      Path dir = tmp.resolve(layout.getKey().replace(' ', '_'));
      if (layout.getValue() != null) {
        Files.createDirectories(dir);
        for (String entry : layout.getValue()) {
          Path p = dir.resolve(entry);
          if (entry.endsWith("/")) {
            Files.createDirectories(p);
          } else {
            Files.createDirectories(p.getParent());
            Files.writeString(p, "x");
          }
        }
      }
      for (String path : List.of(dir.toString(), FakeSchemeFileSystem.SCHEME + "://" + dir)) {
        boolean listed = !Resources.tree(Resources.dir(path)).isEmpty();
        assertThat(layout.getKey() + " " + path, Resources.hasFiles(Resources.dir(path)), is(listed));
        if (expected.containsKey(layout.getKey())) {
          assertThat(layout.getKey() + " " + path, listed, is(expected.get(layout.getKey())));
        }
      }
    }
    // a file is not a folder with files in it
    assertThat(Resources.hasFiles(Resources.dir(tmp.resolve("top_file/x.txt").toString())), is(false));
  }
}
