package org.chexaudit.transforms.io;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.io.Files.fileTraverser;
import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.io.Files.isFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;
import org.chexaudit.core.io.CsvSource;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.collect.Iterables;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.io.ByteStreams;

/**
 * Files and folders named by a path string that any registered Beam file system understands
 * ({@code /local}, {@code file:/local}, {@code hdfs://nn:8020/x}, {@code s3://bucket/x}), read and
 * written through {@link FileSystems} so every command works on local disks and on shared storage alike.
 *
 * <p>A folder is a prefix: on an object store it exists when a file lies under it. Relative local paths
 * are made absolute here, on the client, before a graph is built: a worker would otherwise resolve them
 * against its own working directory.
 *
 * <p>{@link FileSystems#setDefaultPipelineOptions} must have run (the command line does it when it parses
 * the options; a {@code Pipeline} does it too) for schemes other than {@code file}.
 */
public final class Resources {
  /** Files copied at once by {@link #upload}. */
  private static final int COPY_THREADS = 8;
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");

  private Resources() {}

  /** True when {@code path} names a scheme ({@code hdfs://...}); a bare or relative path is local. */
  public static boolean hasScheme(String path) {
    return SCHEME.matcher(path).matches();
  }

  /** The scheme of {@code path}, {@code file} for a local path. */
  public static String scheme(String path) {
    return hasScheme(path) ? path.substring(0, path.indexOf(':')).toLowerCase(java.util.Locale.ROOT) : "file";
  }

  /**
   * {@code path} made absolute: a local relative path against the client's working directory, a
   * {@code file:} URI as the plain path Beam's local file system takes (it reads {@code file:///x} as a
   * relative path named {@code file:}), any other scheme as given with spaces encoded.
   */
  public static String absolute(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("empty path");
    }
    if (path.regionMatches(true, 0, "file:", 0, 5)) {
      String local;
      try {
        local = Path.of(java.net.URI.create(path)).toString();
      } catch (IllegalArgumentException e) { // not a valid URI (a space, a glob's braces): take it verbatim
        local = path.substring("file:".length()).replaceFirst("^//(localhost)?(?=/)", "");
      }
      return Path.of(local).toAbsolutePath().normalize().toString();
    }
    if (hasScheme(path)) {
      return uriSafe(scheme(path), path);
    }
    return Path.of(path).toAbsolutePath().normalize().toString();
  }

  /**
   * A space percent-encoded where the file system parses paths as URIs, which refuse a raw space (Hadoop's;
   * CheXpert's workbook is "CHEXPERT DEMO.xlsx"): the file keeps its name with a space. On
   * {@link #RAW_NAMES} file systems the text is the name as it is.
   */
  private static String uriSafe(String scheme, String part) {
    return RAW_NAMES.contains(scheme) ? part : part.replace(" ", "%20");
  }

  /**
   * Schemes whose Beam file system takes a path's text as the object's name, both for a new resource and
   * for a match: Beam's S3 file system (a key may hold a space, or {@code %20} as three characters).
   */
  private static final java.util.Set<String> RAW_NAMES = java.util.Set.of("s3");

  /**
   * {@code spec} (a path or glob) as {@code FileSystems.match} takes it. Beam's Hadoop file system makes a
   * new resource from a URI ({@code %20} is a space) but matches through Hadoop's {@code Path(String)},
   * which takes the text as the name ({@code %20} stays three characters); a raw space matches the file.
   */
  public static String matchSpec(String spec) {
    String scheme = scheme(spec);
    return scheme.equals("file") || RAW_NAMES.contains(scheme) ? spec : spec.replace("%20", " ");
  }

  /** The folder {@code path} (absolute); its files are resolved with {@link #file(ResourceId, String)}. */
  public static ResourceId dir(String path) {
    return FileSystems.matchNewResource(absolute(path), true);
  }

  /** The file {@code path} (absolute). */
  public static ResourceId file(String path) {
    return FileSystems.matchNewResource(absolute(path), false);
  }

  private static String scheme(ResourceId id) {
    return id.getScheme().toLowerCase(java.util.Locale.ROOT);
  }

  private static boolean isLocal(ResourceId id) {
    return id.getScheme().equalsIgnoreCase("file");
  }

  /** The file {@code name} (which may hold {@code /}) inside {@code dir}. */
  public static ResourceId file(ResourceId dir, String name) {
    ResourceId r = dir;
    String[] parts = (isLocal(dir) ? name : uriSafe(scheme(dir), name)).split("/");
    for (int i = 0; i < parts.length - 1; i++) {
      r = r.resolve(parts[i], StandardResolveOptions.RESOLVE_DIRECTORY);
    }
    return r.resolve(parts[parts.length - 1], StandardResolveOptions.RESOLVE_FILE);
  }

  /** The folder {@code name} (which may hold {@code /}) inside {@code dir}. */
  public static ResourceId dir(ResourceId dir, String name) {
    ResourceId r = dir;
    for (String part : (isLocal(dir) ? name : uriSafe(scheme(dir), name)).split("/")) {
      r = r.resolve(part, StandardResolveOptions.RESOLVE_DIRECTORY);
    }
    return r;
  }

  /** The folder or file {@code id} as a path string, with no trailing slash. */
  public static String path(ResourceId id) {
    String s = id.toString();
    return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** Whether the file {@code id} exists. */
  public static boolean exists(ResourceId file) {
    return !matchOrEmpty(path(file)).isEmpty();
  }

  /**
   * Whether any file lies in or under the folder {@code dir}, as {@link #tree} would list one; stops at the
   * first file found, where listing the tree of an image root (a folder per patient and study) took 4-5 s per
   * 20,000 images on a local disk before any work began.
   */
  public static boolean hasFiles(ResourceId dir) {
    String base = path(dir);
    if (scheme(base).equals("file")) {
      // the traversal Beam's local "**" match makes (java.io.File: follows links), depth first and lazily;
      // the folder itself is not one of its files
      return Iterables.any(Iterables.skip(fileTraverser().depthFirstPreOrder(new java.io.File(base)), 1), isFile());
    }
    // level by level, as tree lists them: an entry that nothing of the next level lies under is a file (an
    // object store lists files only, so a level may be empty with files deeper down)
    List<String> level = List.of();
    for (int depth = 1; depth <= MAX_DEPTH; depth++) {
      List<String> next = entriesAt(base, depth).stream().map(m -> m.resourceId().toString()).toList();
      java.util.Set<String> parents = new java.util.HashSet<>();
      next.forEach(p -> parents.add(p.substring(0, Math.max(0, p.lastIndexOf('/')))));
      if (level.stream().anyMatch(p -> !parents.contains(p))) {
        return true;
      }
      level = next;
    }
    return !level.isEmpty();
  }

  /** The files matching {@code glob} ({@code *}, {@code **}) in {@code dir}, sorted by path; may be empty. */
  public static List<MatchResult.Metadata> list(ResourceId dir, String glob) {
    return sorted(matchOrEmpty(path(dir) + "/" + glob));
  }

  /** The files matching {@code spec} (a path or a glob), sorted by path; may be empty. */
  public static List<MatchResult.Metadata> match(String spec) {
    return sorted(matchOrEmpty(absolute(spec)));
  }

  /**
   * Every file under {@code dir}, sorted by path: at any depth on a local disk ({@code **}), and down to
   * {@value #MAX_DEPTH} folders elsewhere, since Hadoop's globs have no {@code **}.
   */
  public static List<MatchResult.Metadata> tree(ResourceId dir) {
    String base = path(dir);
    if (scheme(base).equals("file")) {
      return sorted(matchOrEmpty(base + "/**"));
    }
    List<MatchResult.Metadata> entries = entries(base);
    // Beam's Hadoop file system matches folders too, as resources that do not say they are folders; a
    // folder is what another entry lies under (an empty one cannot be told from an empty file).
    java.util.Set<String> folders = new java.util.HashSet<>();
    for (MatchResult.Metadata m : entries) {
      String p = m.resourceId().toString();
      for (int slash = p.lastIndexOf('/'); slash > base.length(); slash = p.lastIndexOf('/', slash - 1)) {
        folders.add(p.substring(0, slash));
      }
    }
    return sorted(entries.stream().filter(m -> !folders.contains(m.resourceId().toString())).toList());
  }

  /** What the globs {@code base/*}, {@code base/*}{@code /*} ... match: files, and on HDFS folders too. */
  private static List<MatchResult.Metadata> entries(String base) {
    List<MatchResult.Metadata> all = new ArrayList<>();
    for (int depth = 1; depth <= MAX_DEPTH; depth++) {
      all.addAll(entriesAt(base, depth));
    }
    return all;
  }

  /** What the glob {@code base} + {@code depth} times {@code /*} matches: files, and on HDFS folders too. */
  private static List<MatchResult.Metadata> entriesAt(String base, int depth) {
    return matchOrEmpty(base + "/*".repeat(depth)).stream().filter(m -> !m.resourceId().isDirectory()).toList();
  }

  /**
   * Whether {@code path} names a folder. Beam's Hadoop file system matches a folder's own path as if it
   * were a file, so a folder there is a path with something under it: an entry right below it, or (where a
   * glob lists files only, as on object stores) a file deeper down.
   */
  public static boolean isFolder(String path) {
    String abs = absolute(path);
    if (scheme(abs).equals("file")) {
      return Files.isDirectory(Path.of(abs));
    }
    String base = abs.replaceAll("/+$", "");
    return !matchOrEmpty(base + "/*").isEmpty() || !entries(base).isEmpty();
  }

  /** How deep {@link #tree} looks on file systems without {@code **} (a synth folder is 4 deep). */
  public static final int MAX_DEPTH = 8;

  public static InputStream open(ResourceId file) throws IOException {
    return Channels.newInputStream(FileSystems.open(file));
  }

  /**
   * Bytes {@code [start, end)} of the file {@code path} (any Beam file system): seeks to {@code start} where
   * the file system can, else reads past it.
   */
  public static InputStream openRange(String path, long start, long end) throws IOException {
    ReadableByteChannel channel =
        FileSystems.open(FileSystems.matchSingleFileSpec(matchSpec(absolute(path))).resourceId());
    InputStream in = Channels.newInputStream(channel);
    try {
      if (start > 0 && channel instanceof SeekableByteChannel seekable) {
        seekable.position(start);
      } else {
        in.skipNBytes(start);
      }
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    return ByteStreams.limit(in, end - start);
  }

  /**
   * The file {@code path} names on any Beam file system as a {@link CsvSource} named by the path; it is
   * matched when opened, so a missing file fails there with its name.
   */
  public static CsvSource csv(String path) {
    return new CsvSource(path, () -> open(FileSystems.matchSingleFileSpec(matchSpec(absolute(path))).resourceId()));
  }

  /**
   * A stream onto a new file, which closing twice closes once: a writer that closes the stream it was given
   * (Avro's {@code DataFileWriter}) in a try-with-resources that also closes the stream closes it twice, and
   * Beam's S3 channel completes its multipart upload on every close (the second fails: NoSuchKey).
   */
  public static OutputStream create(ResourceId file) throws IOException {
    return Channels.newOutputStream(closingOnce(FileSystems.create(file, MimeTypes.BINARY)));
  }

  /** {@code channel}, closed by the first {@code close()} only. */
  static WritableByteChannel closingOnce(WritableByteChannel channel) {
    return new WritableByteChannel() {
      private boolean closed;

      @Override
      public int write(java.nio.ByteBuffer src) throws IOException {
        return channel.write(src);
      }

      @Override
      public boolean isOpen() {
        return !closed && channel.isOpen();
      }

      @Override
      public synchronized void close() throws IOException {
        if (!closed) {
          closed = true;
          channel.close();
        }
      }
    };
  }

  public static String readString(ResourceId file) {
    try (InputStream in = open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  public static void writeString(ResourceId file, String text) {
    try (OutputStream out = create(file)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Deletes {@code file} if it exists. */
  public static void delete(ResourceId file) {
    try {
      FileSystems.delete(List.of(file), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file, e);
    }
  }

  /**
   * Deletes every file under {@code dir}; a local folder goes with its subfolders, an HDFS folder with
   * its subfolders but itself stays, empty (object stores have no folders to leave behind).
   */
  public static void deleteTree(ResourceId dir) {
    if (scheme(dir.toString()).equals("file")) {
      deleteLocalTree(localPath(dir));
      return;
    }
    try {
      // deepest first: HDFS deletes a folder only once it is empty (Beam's delete is not recursive)
      List<ResourceId> all = entries(path(dir)).stream().map(MatchResult.Metadata::resourceId)
          .sorted(Comparator.comparingLong((ResourceId r) -> r.toString().chars().filter(c -> c == '/').count())
              .reversed())
          .toList();
      FileSystems.delete(all, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  /** Copies every file under {@code dir} into the local folder {@code local}, keeping relative paths. */
  public static void download(ResourceId dir, Path local) {
    String prefix = path(dir) + "/";
    for (MatchResult.Metadata m : tree(dir)) {
      String rel = m.resourceId().toString().substring(prefix.length());
      if (!isLocal(dir) && !RAW_NAMES.contains(scheme(dir))) {
        rel = rel.replace("%20", " ");
      }
      Path target = local.resolve(rel);
      try (InputStream in = open(m.resourceId())) {
        Files.createDirectories(target.getParent());
        Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot copy " + m.resourceId() + " to " + target, e);
      }
    }
  }

  /** Copies every file under the local folder {@code local} into {@code dir}, keeping relative paths. */
  public static void upload(Path local, ResourceId dir) {
    List<Path> files;
    try (Stream<Path> s = Files.walk(local)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + local, e);
    }
    // A distributed file system spends most of a small file's copy on round trips (HDFS: one pipeline set
    // up per file), so several files are in flight at once.
    ExecutorService pool = Executors.newFixedThreadPool(COPY_THREADS, r -> {
      Thread t = new Thread(r, "upload " + local.getFileName());
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> copies = new ArrayList<>();
      for (Path p : files) {
        ResourceId target = file(dir, local.relativize(p).toString().replace('\\', '/'));
        copies.add(pool.submit(() -> {
          try (OutputStream out = create(target)) {
            Files.copy(p, out);
          }
          return null;
        }));
      }
      for (Future<?> c : copies) {
        c.get();
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof IOException io ? new UncheckedIOException("cannot copy " + local + " to " + dir, io)
          : new IllegalStateException("cannot copy " + local + " to " + dir, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while copying " + local + " to " + dir, e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** The local path of a {@code file:} resource. */
  public static Path localPath(ResourceId id) {
    String s = path(id);
    if (!scheme(s).equals("file")) {
      throw new IllegalArgumentException(s + " is not a local path");
    }
    return Path.of(absolute(s));
  }

  private static void deleteLocalTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + p, e);
    }
  }

  private static List<MatchResult.Metadata> matchOrEmpty(String spec) {
    try {
      MatchResult r = FileSystems.match(matchSpec(spec), EmptyMatchTreatment.ALLOW);
      return r.status() == MatchResult.Status.OK ? r.metadata() : List.of();
    } catch (java.io.FileNotFoundException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + spec + ": " + e.getMessage(), e);
    }
  }

  private static List<MatchResult.Metadata> sorted(List<MatchResult.Metadata> files) {
    List<MatchResult.Metadata> out = new ArrayList<>(files);
    out.sort(Comparator.comparing(m -> m.resourceId().toString()));
    return out;
  }
  /** A UTF-8 writer onto the new file {@code file}; the caller closes it. */
  public static java.io.BufferedWriter writer(ResourceId file) throws IOException {
    return new java.io.BufferedWriter(new java.io.OutputStreamWriter(create(file), StandardCharsets.UTF_8));
  }

  /** A UTF-8 reader of {@code file}; the caller closes it. */
  public static java.io.BufferedReader reader(ResourceId file) throws IOException {
    return new java.io.BufferedReader(new java.io.InputStreamReader(open(file), StandardCharsets.UTF_8));
  }

  /**
   * The file {@code path} names (a user's input); refused, naming {@code what} (the option) and the path, when
   * it names none or a folder.
   */
  public static ResourceId requireFile(String what, String path) {
    ResourceId file = existingFile(path);
    if (file == null) {
      throw new IllegalArgumentException(what + " " + path + ": no such file");
    }
    return file;
  }

  /** The file {@code path} names, or null when it names none (or a folder): a user's input file. */
  public static ResourceId existingFile(String path) {
    List<MatchResult.Metadata> m = matchOrEmpty(absolute(path));
    return m.size() == 1 && !m.get(0).resourceId().isDirectory() ? m.get(0).resourceId() : null;
  }
}
