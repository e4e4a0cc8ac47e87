package org.chexaudit.pipelines;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.beam.sdk.io.FileSystem;
import org.apache.beam.sdk.io.FileSystemRegistrar;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.CreateOptions;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A Beam file system for the scheme {@code fake://}, registered for the tests through
 * {@code META-INF/services}: {@code fake:///abs/path} is the local file {@code /abs/path}, reached only
 * through Beam's {@link FileSystems}. A command that opened such a path with {@code java.nio} or
 * {@code java.io.File} would fail (no such local file {@code fake:/...}), so a run on {@code fake://} shows
 * that every path of the command goes through Beam, as {@code hdfs://} needs.
 */
public final class FakeSchemeFileSystem extends FileSystem<FakeSchemeFileSystem.FakeResourceId> {
  static final String SCHEME = "fake";
  private static final String PREFIX = SCHEME + "://";

  /** Registers the file system with Beam. */
  public static final class Registrar implements FileSystemRegistrar {
    @Override
    public Iterable<FileSystem<?>> fromOptions(PipelineOptions options) {
      return List.of(new FakeSchemeFileSystem());
    }
  }

  /** {@code fake://} + a local resource. */
  static final class FakeResourceId implements ResourceId {
    private final ResourceId local;

    FakeResourceId(ResourceId local) {
      this.local = local;
    }

    @Override
    public ResourceId resolve(String other, ResolveOptions options) {
      return new FakeResourceId(local.resolve(other, options));
    }

    @Override
    public ResourceId getCurrentDirectory() {
      return new FakeResourceId(local.getCurrentDirectory());
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
      return o instanceof FakeResourceId f && f.local.equals(local);
    }

    @Override
    public int hashCode() {
      return local.hashCode();
    }
  }

  private static String local(String spec) {
    if (!spec.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a " + PREFIX + " path: " + spec);
    }
    return spec.substring(PREFIX.length());
  }

  private static List<ResourceId> locals(Collection<FakeResourceId> ids) {
    List<ResourceId> out = new ArrayList<>();
    ids.forEach(id -> out.add(id.local));
    return out;
  }

  @Override
  protected List<MatchResult> match(List<String> specs) throws IOException {
    List<MatchResult> out = new ArrayList<>();
    for (MatchResult r : FileSystems.match(specs.stream().map(FakeSchemeFileSystem::local).toList())) {
      if (r.status() != MatchResult.Status.OK) {
        out.add(r);
        continue;
      }
      List<MatchResult.Metadata> metadata = new ArrayList<>();
      for (MatchResult.Metadata m : r.metadata()) {
        metadata.add(MatchResult.Metadata.builder().setResourceId(new FakeResourceId(m.resourceId()))
            .setSizeBytes(m.sizeBytes()).setIsReadSeekEfficient(m.isReadSeekEfficient())
            .setLastModifiedMillis(m.lastModifiedMillis()).setChecksum(m.checksum()).build());
      }
      out.add(MatchResult.create(MatchResult.Status.OK, metadata));
    }
    return out;
  }

  @Override
  protected WritableByteChannel create(FakeResourceId id, CreateOptions options) throws IOException {
    return FileSystems.create(id.local, options);
  }

  @Override
  protected ReadableByteChannel open(FakeResourceId id) throws IOException {
    return FileSystems.open(id.local);
  }

  @Override
  protected void copy(List<FakeResourceId> from, List<FakeResourceId> to) throws IOException {
    FileSystems.copy(locals(from), locals(to));
  }

  @Override
  protected void rename(List<FakeResourceId> from, List<FakeResourceId> to, MoveOptions... options)
      throws IOException {
    FileSystems.rename(locals(from), locals(to), options);
  }

  @Override
  protected void delete(Collection<FakeResourceId> ids) throws IOException {
    FileSystems.delete(locals(ids), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  @Override
  protected FakeResourceId matchNewResource(String spec, boolean isDirectory) {
    return new FakeResourceId(FileSystems.matchNewResource(local(spec), isDirectory));
  }

  @Override
  protected String getScheme() {
    return SCHEME;
  }
}
