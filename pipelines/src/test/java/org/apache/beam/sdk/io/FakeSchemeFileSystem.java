package org.apache.beam.sdk.io;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.io.fs.CreateOptions;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A test file system with its own scheme, {@code fakefs:///abs/path}, stored in the local folder
 * {@code /abs/path}: a command given {@code fakefs://} paths works only if every read and write goes
 * through Beam's {@code FileSystems}. Code that turns the path into a {@code java.nio} path instead writes a
 * folder named {@code fakefs:} in the working directory, or fails to find its input. Lives in Beam's
 * package to delegate to its (package-private) local file system.
 */
public final class FakeSchemeFileSystem extends FileSystem<FakeSchemeFileSystem.Id> {
  public static final String SCHEME = "fakefs";
  private static final String PREFIX = SCHEME + "://";
  private final LocalFileSystem local = new LocalFileSystem();

  /** Registers {@code fakefs://} (listed in test resources, META-INF/services) for the tests. */
  public static final class Registrar implements FileSystemRegistrar {
    @Override
    public Iterable<FileSystem<?>> fromOptions(PipelineOptions options) {
      return List.of(new FakeSchemeFileSystem());
    }
  }

  /** A {@code fakefs://} path: a local resource under another name. */
  public static final class Id implements ResourceId {
    private final LocalResourceId local;

    Id(LocalResourceId local) {
      this.local = local;
    }

    @Override
    public ResourceId resolve(String other, ResolveOptions options) {
      return new Id(local.resolve(other, options));
    }

    @Override
    public ResourceId getCurrentDirectory() {
      return new Id(local.getCurrentDirectory());
    }

    @Override
    public String getScheme() {
      return SCHEME;
    }

    @Override
    public String getFilename() {
      return local.getFilename();
    }

    @Override
    public boolean isDirectory() {
      return local.isDirectory();
    }

    @Override
    public String toString() {
      return PREFIX + local;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Id other && other.local.equals(local);
    }

    @Override
    public int hashCode() {
      return Objects.hash(SCHEME, local);
    }
  }

  /**
   * The local path of {@code spec}, read as Beam's Hadoop file system reads it: a new resource's spec is a
   * URI ({@code %20} is a space), a match's spec is taken as raw text ({@code %20} stays as is).
   */
  private static String localSpec(String spec, boolean uri) {
    if (!spec.startsWith(PREFIX + "/")) {
      throw new IllegalArgumentException("not an absolute " + PREFIX + " path: " + spec);
    }
    String path = spec.substring(PREFIX.length());
    return uri ? path.replace("%20", " ") : path;
  }

  private static List<LocalResourceId> locals(Collection<Id> ids) {
    List<LocalResourceId> out = new ArrayList<>();
    ids.forEach(i -> out.add(i.local));
    return out;
  }

  @Override
  protected List<MatchResult> match(List<String> specs) throws IOException {
    List<String> l = new ArrayList<>();
    specs.forEach(s -> l.add(localSpec(s, false)));
    List<MatchResult> out = new ArrayList<>();
    for (MatchResult r : local.match(l)) {
      if (r.status() != MatchResult.Status.OK) {
        out.add(r);
        continue;
      }
      List<MatchResult.Metadata> m = new ArrayList<>();
      for (MatchResult.Metadata x : r.metadata()) {
        // as Beam's Hadoop file system: a folder's own path matches as a resource that is not a directory
        LocalResourceId found = (LocalResourceId) x.resourceId();
        LocalResourceId asHadoop = found.isDirectory() ? LocalResourceId.fromPath(found.getPath(), false) : found;
        m.add(MatchResult.Metadata.builder().setResourceId(new Id(asHadoop))
            .setIsReadSeekEfficient(x.isReadSeekEfficient()).setSizeBytes(x.sizeBytes())
            .setLastModifiedMillis(x.lastModifiedMillis()).build());
      }
      out.add(MatchResult.create(MatchResult.Status.OK, m));
    }
    return out;
  }

  @Override
  protected WritableByteChannel create(Id id, CreateOptions options) throws IOException {
    return local.create(id.local, options);
  }

  @Override
  protected ReadableByteChannel open(Id id) throws IOException {
    return local.open(id.local);
  }

  @Override
  protected void copy(List<Id> from, List<Id> to) throws IOException {
    local.copy(locals(from), locals(to));
  }

  @Override
  protected void rename(List<Id> from, List<Id> to, MoveOptions... options) throws IOException {
    local.rename(locals(from), locals(to), options);
  }

  @Override
  protected void delete(Collection<Id> ids) throws IOException {
    local.delete(locals(ids));
  }

  @Override
  protected Id matchNewResource(String spec, boolean isDirectory) {
    return new Id(local.matchNewResource(localSpec(spec, true), isDirectory));
  }

  @Override
  protected String getScheme() {
    return SCHEME;
  }
}
