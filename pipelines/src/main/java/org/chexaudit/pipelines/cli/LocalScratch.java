package org.chexaudit.pipelines.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.chexaudit.transforms.io.Resources;

/**
 * A local scratch folder for the steps that need local files (NumPy archives, TensorFlow SavedModels)
 * while their input or output is any Beam path: local resources are used where they lie, others are
 * copied through it. Created on first use, deleted by {@link #close}.
 */
final class LocalScratch implements AutoCloseable {
  private Path dir;

  /** {@code file} as a local path: itself when local, else a copy in the scratch folder. */
  Path localCopy(ResourceId file) {
    if (isLocal(file)) {
      return Resources.localPath(file);
    }
    String name = file.getFilename() == null ? "file" : file.getFilename();
    Path copy = dir().resolve("in").resolve(name);
    try (InputStream in = Resources.open(file)) {
      Files.createDirectories(copy.getParent());
      Files.copy(in, copy);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + file + " to " + copy, e);
    }
    return copy;
  }

  /** The local folder to write {@code target}'s files into: {@code target} itself when local, else scratch. */
  Path localFolderFor(ResourceId target) {
    return isLocal(target) ? Resources.localPath(target) : dir().resolve("out");
  }

  /** Copies {@code folder} into {@code target} unless it is {@code target} itself (a local output). */
  void uploadInto(Path folder, ResourceId target) {
    if (!isLocal(target)) {
      Resources.upload(folder, target);
    }
  }

  @Override
  public void close() {
    if (dir == null) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the scratch folder " + dir, e);
    }
    dir = null;
  }

  private Path dir() {
    if (dir == null) {
      try {
        dir = Files.createTempDirectory("chexaudit-scratch-");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a scratch folder", e);
      }
    }
    return dir;
  }

  private static boolean isLocal(ResourceId id) {
    return Resources.scheme(id.toString()).equals("file");
  }
}
