package org.chexaudit.pipelines;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.chexaudit.pipelines.cli.Main;

/**
 * A command run as {@code bin/chexaudit} runs it, in a JVM of its own (its exit status, {@code System.exit}
 * included, is the child's), on the test classpath; stdout and stderr go to {@code log}.
 */
final class ChildJvm {
  private ChildJvm() {}

  /** Starts {@code chexaudit <args>}. */
  static Process start(List<String> args, Path log) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx2g", "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=org.chexaudit.schemas"));
    String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
    if (cache != null) {
      cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(args);
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }
}
