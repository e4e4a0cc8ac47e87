package org.chexaudit.transforms.ml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.chexaudit.transforms.io.Resources;

/**
 * A model folder or weights file as a local path, which TensorFlow's loaders need: a local one is used
 * where it lies; one on another file system ({@code hdfs://}, {@code s3://}) is downloaded once per JVM into a
 * temporary folder, keyed by its path, and deleted when the JVM exits. Of a model folder only what scoring
 * and a frozen backbone read is copied ({@code model.json}, {@code best/}, {@code saved_model/}), not the
 * training checkpoints.
 */
final class LocalModelCopies {
  static final String[] FILES = {"model.json"};
  static final String[] FOLDERS = {"best", "saved_model"};

  private static final Map<String, Path> COPIES = new HashMap<>();

  private LocalModelCopies() {}

  /**
   * The local path of {@code path} (any Beam path): a model folder, or one file such as train's
   * {@code --initWeights}, copied whole.
   */
  static synchronized Path of(String path) {
    // not Resources.existingFile: Beam's Hadoop file system matches a folder's own path as a file
    if (Resources.scheme(path).equals("file")) {
      return Resources.localPath(Resources.isFolder(path) ? Resources.dir(path) : Resources.file(path));
    }
    // asked once per path and JVM: on a remote file system telling a folder from a file takes matches
    return COPIES.computeIfAbsent(path,
        p -> Resources.isFolder(p) ? download(p) : downloadFile(Resources.file(p)));
  }

  private static Path downloadFile(ResourceId file) {
    try {
      Path local = temporaryFolder();
      Path copy = local.resolve(file.getFilename());
      try (var in = Resources.open(file)) {
        Files.copy(in, copy);
      }
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + Resources.path(file) + " to a local file", e);
    }
  }

  private static Path temporaryFolder() throws IOException {
    Path local = Files.createTempDirectory("chexaudit-model-");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(local), "delete " + local));
    return local;
  }

  private static Path download(String modelDir) {
    ResourceId dir = Resources.dir(modelDir);
    try {
      Path local = temporaryFolder();
      for (String f : FILES) {
        ResourceId file = Resources.file(dir, f);
        if (Resources.exists(file)) {
          try (var in = Resources.open(file)) {
            Files.copy(in, local.resolve(f));
          }
        }
      }
      for (String sub : FOLDERS) {
        Resources.download(Resources.dir(dir, sub), local.resolve(sub));
      }
      return local;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the model " + modelDir + " to a local folder", e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // the JVM is exiting; a leftover temporary folder is all that can go wrong
    }
  }
}
