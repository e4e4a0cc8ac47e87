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
 * A model folder as a local path, which TensorFlow's SavedModel loader needs: a local model is used where
 * it lies; one on another file system ({@code hdfs://}, {@code s3://}) is downloaded once per JVM into a
 * temporary folder, keyed by its path, and deleted when the JVM exits. Only what scoring reads is copied
 * ({@code model.json}, {@code best/}, {@code saved_model/}), not the training checkpoints.
 */
final class LocalModelCopies {
  static final String[] FILES = {"model.json"};
  static final String[] FOLDERS = {"best", "saved_model"};

  private static final Map<String, Path> COPIES = new HashMap<>();

  private LocalModelCopies() {}

  /** The local folder holding {@code modelDir} (any Beam path). */
  static synchronized Path of(String modelDir) {
    if (Resources.scheme(modelDir).equals("file")) {
      return Resources.localPath(Resources.dir(modelDir));
    }
    Path copy = COPIES.get(modelDir);
    if (copy == null) {
      copy = download(modelDir);
      COPIES.put(modelDir, copy);
    }
    return copy;
  }

  private static Path download(String modelDir) {
    ResourceId dir = Resources.dir(modelDir);
    try {
      Path local = Files.createTempDirectory("chexaudit-model-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(local), "delete " + local));
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
