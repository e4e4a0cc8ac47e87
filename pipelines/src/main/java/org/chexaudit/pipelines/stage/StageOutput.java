package org.chexaudit.pipelines.stage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A stage's output folder, written atomically: the stage writes into a temporary sibling folder, and
 * {@link #commit} adds {@code _MANIFEST.json} (inputs with sizes and hashes, options, counts, code
 * version) and renames it into place. A folder without a manifest is therefore never a finished
 * output, and a finished one is never replaced without {@code --overwrite}.
 */
public final class StageOutput {
  public static final String MANIFEST = "_MANIFEST.json";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String stage;
  private final Path target;
  private final Path tmp;
  private final Map<String, Object> inputs = new LinkedHashMap<>();
  private final long startNanos = System.nanoTime();

  private StageOutput(String stage, Path target, Path tmp) {
    this.stage = stage;
    this.target = target;
    this.tmp = tmp;
  }

  /** Thrown when a stage's output folder cannot be used; the message says what to do. */
  public static final class StageOutputException extends RuntimeException {
    public StageOutputException(String message) {
      super(message);
    }
  }

  /**
   * Starts writing {@code stage}'s output to {@code target}.
   *
   * @throws StageOutputException if {@code target} holds a finished output (or any files) and
   *     {@code overwrite} is false
   */
  public static StageOutput begin(String stage, Path target, boolean overwrite) {
    try {
      if (Files.exists(target) && !overwrite) {
        if (Files.exists(target.resolve(MANIFEST))) {
          throw new StageOutputException(
              "output " + target + " already holds a finished '" + stage
                  + "' output; pass --overwrite=true to replace it");
        }
        if (!isEmptyDir(target)) {
          throw new StageOutputException(
              "output " + target + " exists and is not an empty folder (no " + MANIFEST
                  + ": perhaps an interrupted run of another tool); remove it or pass --overwrite=true");
        }
      }
      Path parent = target.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path tmp = parent.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
      Files.createDirectories(tmp);
      return new StageOutput(stage, target, tmp);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare output " + target, e);
    }
  }

  /** The folder to write into until {@link #commit}. */
  public Path tmp() {
    return tmp;
  }

  public Path target() {
    return target;
  }

  /** Records an input file (size, SHA-256) or folder (size of its files) in the manifest. */
  public StageOutput withInput(String name, Path file) {
    inputs.put(name, fingerprint(file));
    return this;
  }

  /** Writes the manifest into the temporary folder and moves it into place. */
  public Path commit(Map<String, ?> options, Map<String, ?> counts) {
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("stage", stage);
    manifest.put("finished", Instant.now().toString());
    manifest.put("seconds", Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0);
    manifest.put("version", Version.describe());
    manifest.put("inputs", inputs);
    manifest.put("options", options);
    manifest.put("counts", counts);
    try {
      JSON.writeValue(tmp.resolve(MANIFEST).toFile(), manifest);
      if (Files.exists(target)) {
        Path old = target.resolveSibling("." + target.getFileName() + ".old-" + UUID.randomUUID());
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        deleteRecursively(old);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move " + tmp + " into place at " + target, e);
    }
  }

  /** Deletes the temporary folder after a failure. */
  public void abort() {
    deleteRecursively(tmp);
  }

  /** Reads a finished output's manifest, or null when {@code dir} has none. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> readManifest(Path dir) {
    Path m = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(m)) {
      return null;
    }
    try {
      return JSON.readValue(m.toFile(), Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + m, e);
    }
  }

  static Map<String, Object> fingerprint(Path path) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("path", path.toAbsolutePath().toString());
    try {
      if (Files.isDirectory(path)) {
        long[] sizeAndCount = new long[2];
        try (Stream<Path> files = Files.walk(path)) {
          files.filter(Files::isRegularFile).forEach(p -> {
            sizeAndCount[0] += p.toFile().length();
            sizeAndCount[1]++;
          });
        }
        f.put("bytes", sizeAndCount[0]);
        f.put("files", sizeAndCount[1]);
      } else {
        f.put("bytes", Files.size(path));
        f.put("sha256", sha256(path));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read input " + path, e);
    }
    return f;
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        d.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean isEmptyDir(Path p) throws IOException {
    if (!Files.isDirectory(p)) {
      return false;
    }
    try (Stream<Path> s = Files.list(p)) {
      return s.findAny().isEmpty();
    }
  }

  public static void deleteRecursively(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + p, e);
    }
  }
}
