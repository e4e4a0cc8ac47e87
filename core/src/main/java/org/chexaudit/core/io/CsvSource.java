package org.chexaudit.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A CSV file an adapter reads: its name (for messages and dead letters) and how to open it, so the
 * adapters read local files and files on any other file system alike.
 */
public record CsvSource(String name, Opener opener) implements Serializable {
  /** Opens the file's bytes; serializable, so a source can travel to a worker. */
  @FunctionalInterface
  public interface Opener extends Serializable {
    InputStream open() throws IOException;
  }

  /** A local file, named by its path. */
  public static CsvSource of(Path file) {
    String p = file.toString();
    return new CsvSource(p, () -> {
      Path f = Path.of(p);
      if (!Files.isRegularFile(f)) {
        throw new IllegalArgumentException("file not found: " + f);
      }
      return Files.newInputStream(f);
    });
  }

  public InputStream open() throws IOException {
    return opener.open();
  }

  @Override
  public String toString() {
    return name;
  }
}
