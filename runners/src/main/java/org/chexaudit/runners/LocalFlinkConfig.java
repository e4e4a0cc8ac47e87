package org.chexaudit.runners;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Flink configuration folder ({@code --flinkConfDir}) for Beam's embedded Flink clusters ({@code
 * --flinkMaster=[local]}) when a command names none: it sets Flink's managed memory.
 *
 * <p>Managed memory holds Flink's sort and hash buffers, off the heap. Without a setting Beam gives an embedded
 * cluster 40 % of the free heap, measured after a full collection it forces for every pipeline: about 3 GB with
 * the launcher's 8 GB heap. Flink hands each sorting step its share in 32 KB pages, allocated one by one when the
 * step opens and freed when it closes, so every grouping cost 0.2-0.5 s even for a dozen records. With {@value
 * #MANAGED_MEMORY}, same machine: {@code preprocess} of 12 images on two workers 2.3-3.2 s -> 1.5-2.3 s per run,
 * {@code metrics} on a million rows 36.6 s -> 21.2 s (1 GB: 20.3 s; the sorts spill to disk beyond it).
 * Written once per JVM to a temporary folder, deleted on exit.
 */
public final class LocalFlinkConfig {
  /** Managed memory of an embedded cluster (all its slots together). */
  public static final String MANAGED_MEMORY = "256m";
  private static Path dir;

  private LocalFlinkConfig() {}

  /** The folder holding this configuration's {@code config.yaml}. */
  public static synchronized String dir() {
    if (dir == null) {
      try {
        Path d = Files.createTempDirectory("chexaudit-flink-conf");
        d.toFile().deleteOnExit();
        Path file = d.resolve("config.yaml");
        Files.writeString(file, "# chexaudit's embedded Flink cluster (org.chexaudit.runners.LocalFlinkConfig)\n"
            + "taskmanager.memory.managed.size: " + MANAGED_MEMORY + "\n");
        file.toFile().deleteOnExit();
        dir = d;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the embedded Flink cluster's configuration", e);
      }
    }
    return dir.toString();
  }
}
