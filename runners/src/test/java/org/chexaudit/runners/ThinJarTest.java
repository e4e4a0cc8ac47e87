package org.chexaudit.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThinJarTest {
  @TempDir Path tmp;

  @Test
  void leavesOutOnlyEntriesTheClusterHoldsByteForByte() throws IOException {
    Path cluster = jar("cluster.jar", Map.of(
        "org/lib/Same.class", "same bytes",
        "org/lib/Other.class", "version 1",
        "META-INF/services/org.lib.Api", "org.lib.Impl1\n"));
    Path shaded = jar("shaded.jar", Map.of(
        "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n",
        "org/lib/Same.class", "same bytes",
        "org/lib/Other.class", "version 2",
        "META-INF/services/org.lib.Api", "org.lib.Impl1\norg.project.Impl2\n",
        "org/project/Main.class", "project"));

    ThinJar.Summary summary = ThinJar.write(shaded, tmp.resolve("thin.jar"), List.of(cluster));

    assertThat(entries(tmp.resolve("thin.jar")), containsInAnyOrder("META-INF/MANIFEST.MF",
        "org/lib/Other.class", "META-INF/services/org.lib.Api", "org/project/Main.class"));
    assertThat(summary.kept(), is(4));
    assertThat(summary.omitted(), is(1));
  }

  @Test
  void keepsTheManifestEvenWhenTheClusterHasTheSameOne() throws IOException {
    Path cluster = jar("cluster.jar", Map.of("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n"));
    Path shaded = jar("shaded.jar", Map.of("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n"));

    ThinJar.write(shaded, tmp.resolve("thin.jar"), List.of(cluster));

    assertThat(entries(tmp.resolve("thin.jar")), containsInAnyOrder("META-INF/MANIFEST.MF"));
  }

  @Test
  void comparesWithTheFirstClusterJarThatHasTheEntryAsAClassLoaderWould() throws IOException {
    Path first = jar("a.jar", Map.of("org/lib/X.class", "old"));
    Path second = jar("b.jar", Map.of("org/lib/X.class", "new"));
    Path shaded = jar("shaded.jar", Map.of("org/lib/X.class", "new"));

    ThinJar.write(shaded, tmp.resolve("thin.jar"), List.of(first, second));

    assertThat(entries(tmp.resolve("thin.jar")), containsInAnyOrder("org/lib/X.class"));
  }

  private Path jar(String name, Map<String, String> entries) throws IOException {
    Path jar = tmp.resolve(name);
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
      for (Map.Entry<String, String> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return jar;
  }

  private static List<String> entries(Path jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      List<String> names = new ArrayList<>();
      for (ZipEntry e : Collections.list(zip.entries())) {
        names.add(e.getName());
      }
      return names;
    }
  }
}
