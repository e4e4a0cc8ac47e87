package org.chexaudit.pipelines;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystem;
import org.apache.beam.sdk.io.FileSystemRegistrar;
import org.apache.beam.sdk.io.fs.CreateOptions;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A Beam file system for the scheme {@value #SCHEME}{@code ://} that keeps its files under a local folder
 * ({@link #root}), registered for tests through {@code META-INF/services}: a command that reads or writes a
 * {@code fakefs://} path with {@code java.nio} would miss the files, so it proves the path goes through
 * Beam's {@code FileSystems}. Like an object store's client it has no folders to create: a file's parents
 * appear when it is written.
 */
public final class FakeSchemeFileSystem extends FileSystem<FakeSchemeFileSystem.Id> {
  static final String SCHEME = "fakefs";
  private static volatile Path root;

  /** Sets the local folder behind {@code fakefs://}. */
  static void root(Path dir) {
    root = dir;
  }

  /** The local file behind a {@code fakefs://} path (for a test's checks only). */
  static Path local(String path) {
    return root.resolve(path.substring((SCHEME + "://").length()));
  }

  public static final class Registrar implements FileSystemRegistrar {
    @Override
    public Iterable<FileSystem<?>> fromOptions(PipelineOptions options) {
      return List.of(new FakeSchemeFileSystem());
    }
  }

  /** A path under the root, {@code a/b/c} (no leading slash), and whether it names a folder. */
  static final class Id implements ResourceId {
    final String rel;
    final boolean dir;

    Id(String rel, boolean dir) {
      this.rel = rel.replaceAll("/+$", "");
      this.dir = dir;
    }

    Path path() {
      return root.resolve(rel);
    }

    @Override
    public ResourceId resolve(String other, ResolveOptions options) {
      boolean isDir = options == ResolveOptions.StandardResolveOptions.RESOLVE_DIRECTORY;
      return new Id(rel.isEmpty() ? other : rel + "/" + other, isDir);
    }

    @Override
    public ResourceId getCurrentDirectory() {
      if (dir) {
        return this;
      }
      int slash = rel.lastIndexOf('/');
      return new Id(slash < 0 ? "" : rel.substring(0, slash), true);
    }

    @Override
    public String getScheme() {
      return SCHEME;
    }

    @Override
    public String getFilename() {
      return rel.isEmpty() ? null : rel.substring(rel.lastIndexOf('/') + 1);
    }

    @Override
    public boolean isDirectory() {
      return dir;
    }

    @Override
    public String toString() {
      return SCHEME + "://" + rel + (dir && !rel.isEmpty() ? "/" : "");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Id i && i.rel.equals(rel) && i.dir == dir;
    }

    @Override
    public int hashCode() {
      return rel.hashCode() * 31 + (dir ? 1 : 0);
    }
  }

  private static String rel(String spec) {
    if (!spec.startsWith(SCHEME + "://")) {
      throw new IllegalArgumentException("not a " + SCHEME + ":// path: " + spec);
    }
    return spec.substring((SCHEME + "://").length());
  }

  @Override
  protected List<MatchResult> match(List<String> specs) throws IOException {
    List<MatchResult> out = new ArrayList<>();
    for (String spec : specs) {
      String rel = rel(spec).replaceAll("/+$", "");
      List<MatchResult.Metadata> found = new ArrayList<>();
      if (rel.contains("*") || rel.contains("?")) {
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + rel);
        if (Files.isDirectory(root)) {
          try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
              if (m.matches(root.relativize(p))) {
                found.add(metadata(root.relativize(p).toString(), p));
              }
            }
          }
        }
      } else if (Files.isRegularFile(root.resolve(rel))) {
        found.add(metadata(rel, root.resolve(rel)));
      }
      out.add(found.isEmpty()
          ? MatchResult.create(MatchResult.Status.NOT_FOUND, new FileNotFoundException("no file " + spec))
          : MatchResult.create(MatchResult.Status.OK, found));
    }
    return out;
  }

  private static MatchResult.Metadata metadata(String rel, Path p) throws IOException {
    return MatchResult.Metadata.builder().setResourceId(new Id(rel, false)).setSizeBytes(Files.size(p))
        .setIsReadSeekEfficient(true).setLastModifiedMillis(Files.getLastModifiedTime(p).toMillis()).build();
  }

  @Override
  protected WritableByteChannel create(Id id, CreateOptions options) throws IOException {
    Files.createDirectories(id.path().getParent());
    return FileChannel.open(id.path(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
  }

  @Override
  protected ReadableByteChannel open(Id id) throws IOException {
    if (!Files.isRegularFile(id.path())) {
      throw new FileNotFoundException("no file " + id);
    }
    return FileChannel.open(id.path(), StandardOpenOption.READ);
  }

  @Override
  protected void copy(List<Id> src, List<Id> dest) throws IOException {
    for (int i = 0; i < src.size(); i++) {
      Files.createDirectories(dest.get(i).path().getParent());
      Files.copy(src.get(i).path(), dest.get(i).path(), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  protected void rename(List<Id> src, List<Id> dest, MoveOptions... options) throws IOException {
    for (int i = 0; i < src.size(); i++) {
      Files.createDirectories(dest.get(i).path().getParent());
      try {
        Files.move(src.get(i).path(), dest.get(i).path(), StandardCopyOption.REPLACE_EXISTING);
      } catch (NoSuchFileException e) {
        if (!List.of(options).contains(MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES)) {
          throw e;
        }
      }
    }
  }

  @Override
  protected void delete(Collection<Id> ids) throws IOException {
    for (Id id : ids) {
      Files.deleteIfExists(id.path());
    }
  }

  @Override
  protected Id matchNewResource(String spec, boolean isDirectory) {
    return new Id(rel(spec), isDirectory || spec.endsWith("/"));
  }

  @Override
  protected String getScheme() {
    return SCHEME;
  }
}
