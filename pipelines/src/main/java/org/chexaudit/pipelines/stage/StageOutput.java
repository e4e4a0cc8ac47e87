package org.chexaudit.pipelines.stage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.chexaudit.transforms.io.Resources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stage's output folder on any Beam file system, committed the way an object store allows: the
 * stage writes straight into its final folder, which holds {@value #STARTED} until {@link #commit}
 * writes {@code _MANIFEST.json} (inputs with sizes and hashes, options, counts, code version) last and
 * removes the marker. So a folder without a manifest is never a finished output; one that carries the
 * marker is an interrupted run of this tool and is cleared by the next one; and a finished output is
 * never replaced without {@code --overwrite}. No folder is renamed: S3 and GCS cannot rename, and a
 * rename onto an existing HDFS file silently overwrites it.
 *
 * <p>The cost of writing in place: {@code --overwrite} deletes the old output when the new run starts,
 * not when it succeeds.
 */
public final class StageOutput {
  private static final Logger LOG = LoggerFactory.getLogger(StageOutput.class);
  public static final String MANIFEST = "_MANIFEST.json";
  /** Present while a stage writes its folder; a folder holding it is unfinished. */
  public static final String STARTED = "_STARTED.json";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** Inputs up to this size are hashed; larger ones are recorded by size and modification time. */
  static final long HASH_LIMIT_BYTES = 64L << 20;

  private final String stage;
  private final ResourceId dir;
  private final Map<String, Object> inputs = new LinkedHashMap<>();
  private final long startNanos = System.nanoTime();
  /** Input hashes and folder walks being computed; {@link #commit} waits for them. */
  private final List<CompletableFuture<Void>> hashes = new ArrayList<>();
  private static final String SHA256 = "sha256";
  private static final String FILES = "files";
  private static final ExecutorService HASHER = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "input-hash");
    t.setDaemon(true);
    return t;
  });

  private StageOutput(String stage, ResourceId dir) {
    this.stage = stage;
    this.dir = dir;
  }

  /** Thrown when a stage's output folder cannot be used; the message says what to do. */
  public static final class StageOutputException extends RuntimeException {
    public StageOutputException(String message) {
      super(message);
    }
  }

  /** Starts writing {@code stage}'s output to the local folder {@code target}. */
  public static StageOutput begin(String stage, Path target, boolean overwrite) {
    return begin(stage, target.toAbsolutePath().toString(), overwrite);
  }

  /**
   * Starts writing {@code stage}'s output to {@code target}, any Beam path.
   *
   * @throws StageOutputException if {@code target} holds a finished output, or files that are not an
   *     interrupted run of this tool, and {@code overwrite} is false
   */
  public static StageOutput begin(String stage, String target, boolean overwrite) {
    ResourceId dir = Resources.dir(target);
    String where = Resources.path(dir);
    if (Resources.exists(Resources.file(dir, MANIFEST))) {
      if (!overwrite) {
        throw new StageOutputException("output " + where + " already holds a finished '" + stage
            + "' output; pass --overwrite=true to replace it");
      }
      Resources.deleteTree(dir);
    } else if (Resources.exists(Resources.file(dir, STARTED))) {
      LOG.info("{}: clearing the unfinished output of an interrupted run in {}", stage, where);
      Resources.deleteTree(dir);
    } else if (Resources.hasFiles(dir)) {
      if (!overwrite) {
        throw new StageOutputException("output " + where + " exists and is not an empty folder (no "
            + MANIFEST + ": perhaps another tool's files); remove it or pass --overwrite=true");
      }
      Resources.deleteTree(dir);
    }
    try {
      if (Resources.scheme(where).equals("file")) {
        Files.createDirectories(Resources.localPath(dir));
      }
      Map<String, Object> started = new LinkedHashMap<>();
      started.put("stage", stage);
      started.put("started", Instant.now().toString());
      Resources.writeString(Resources.file(dir, STARTED), JSON.writeValueAsString(started));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare output " + where, e);
    }
    return new StageOutput(stage, dir);
  }

  /** The output folder, written into until {@link #commit}. */
  public ResourceId dir() {
    return dir;
  }

  /** The file {@code name} in the output folder. */
  public ResourceId file(String name) {
    return Resources.file(dir, name);
  }

  /** The output folder as a path string for Beam's writers ({@code AvroIO.to(out.prefix("x"))}). */
  public String prefix(String name) {
    return Resources.path(file(name));
  }

  /** Whether the output folder is on the local file system. */
  public boolean isLocal() {
    return Resources.scheme(Resources.path(dir)).equals("file");
  }

  /**
   * The output folder as a local path, for the steps that still write with {@code java.nio}; fails for a
   * non-local output.
   */
  public Path tmp() {
    String where = Resources.path(dir);
    if (!Resources.scheme(where).equals("file")) {
      throw new IllegalArgumentException("'" + stage + "' cannot yet write to " + where
          + ": this command writes local folders only (see README, Status)");
    }
    return Resources.localPath(dir);
  }

  /** Records an input file (size, SHA-256) or folder (size of its files) in the manifest. */
  public StageOutput withInput(String name, Path file) {
    return withInput(name, file.toAbsolutePath().toString());
  }

  /**
   * Records an input file (size, SHA-256 up to 64 MiB) or folder (size and count of its files). A file's hash
   * and a folder's walk are computed on a thread of their own while the stage runs and waited for by
   * {@link #commit} (hashing CheXpert's train.csv took a quarter of a second on the critical path of
   * {@code cohort}; walking an image root of 20,000 small images 1.2 s of {@code preprocess}); a missing input
   * fails here.
   */
  public StageOutput withInput(String name, String path) {
    Map<String, Object> f = fingerprint(path, false);
    inputs.put(name, f);
    if (f.containsKey(SHA256)) {
      ResourceId file = Resources.file((String) f.get("path"));
      hashes.add(CompletableFuture.runAsync(() -> f.put(SHA256, sha256(file)), HASHER));
    } else if (f.containsKey(FILES)) {
      ResourceId folder = Resources.dir((String) f.get("path"));
      // this stage's own output may lie under an input folder (--imageRoot=/data --output=/data/run) and is
      // being written while the walk runs: not counted, so the count does not depend on the timing
      String own = Resources.path(dir) + "/";
      hashes.add(CompletableFuture.runAsync(() -> countFiles(f, folder, own), HASHER));
    }
    return this;
  }

  /** Writes the manifest, last, and removes the unfinished marker; returns the folder's path. */
  public String commit(Map<String, ?> options, Map<String, ?> counts) {
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("stage", stage);
    manifest.put("finished", Instant.now().toString());
    manifest.put("seconds", Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0);
    manifest.put("version", Version.describe());
    try {
      CompletableFuture.allOf(hashes.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    manifest.put("inputs", inputs);
    manifest.put("options", options);
    manifest.put("counts", counts);
    try {
      Resources.writeString(file(MANIFEST), JSON.writeValueAsString(manifest));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the manifest of " + Resources.path(dir), e);
    }
    Resources.delete(file(STARTED));
    return Resources.path(dir);
  }

  /** Deletes what the stage wrote after a failure. */
  public void abort() {
    Resources.deleteTree(dir);
  }

  /** Reads a finished output's manifest, or null when the local {@code dir} has none. */
  public static Map<String, Object> readManifest(Path dir) {
    return readManifest(dir.toAbsolutePath().toString());
  }

  /** Reads a finished output's manifest, or null when {@code dir} (any Beam path) has none. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> readManifest(String dir) {
    ResourceId m = Resources.file(Resources.dir(dir), MANIFEST);
    if (!Resources.exists(m)) {
      return null;
    }
    try {
      return JSON.readValue(Resources.readString(m), Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + m, e);
    }
  }

  /** Whether {@code dir} (any Beam path) holds a finished output. */
  public static boolean isFinished(String dir) {
    return Resources.exists(Resources.file(Resources.dir(dir), MANIFEST));
  }

  static Map<String, Object> fingerprint(String path) {
    return fingerprint(path, true);
  }

  /**
   * The fingerprint, with a file's hash or a folder's size and count of files, or with their keys and no
   * values yet unless {@code hashNow}.
   */
  private static Map<String, Object> fingerprint(String path, boolean hashNow) {
    Map<String, Object> f = new LinkedHashMap<>();
    String abs = Resources.absolute(path);
    f.put("path", abs);
    List<MatchResult.Metadata> single = Resources.match(abs);
    if (single.size() == 1 && !single.get(0).resourceId().isDirectory()
        && Resources.path(single.get(0).resourceId()).equals(Resources.path(Resources.file(abs)))
        && !Resources.isFolder(abs)) {
      MatchResult.Metadata m = single.get(0);
      f.put("bytes", m.sizeBytes());
      if (m.sizeBytes() <= HASH_LIMIT_BYTES) {
        f.put(SHA256, hashNow ? sha256(m.resourceId()) : null);
      } else {
        f.put("modified", m.lastModifiedMillis());
      }
      return f;
    }
    ResourceId folder = Resources.dir(abs);
    if (!Resources.hasFiles(folder)) {
      throw new UncheckedIOException(new java.io.FileNotFoundException("cannot read input " + abs + ": no such file or folder"));
    }
    f.put("bytes", null);
    f.put(FILES, null);
    if (hashNow) {
      countFiles(f, folder, null);
    }
    return f;
  }

  /** A folder's fingerprint: the size and count of the files under it, but those under {@code except}. */
  private static void countFiles(Map<String, Object> f, ResourceId folder, String except) {
    List<MatchResult.Metadata> files = Resources.tree(folder).stream()
        .filter(m -> except == null || !Resources.path(m.resourceId()).startsWith(except)).toList();
    f.put("bytes", files.stream().mapToLong(MatchResult.Metadata::sizeBytes).sum());
    f.put(FILES, (long) files.size());
  }

  private static String sha256(ResourceId file) {
    try (InputStream in = Resources.open(file)) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        d.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read input " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void deleteRecursively(Path p) {
    Resources.deleteTree(Resources.dir(p.toAbsolutePath().toString()));
  }
}
