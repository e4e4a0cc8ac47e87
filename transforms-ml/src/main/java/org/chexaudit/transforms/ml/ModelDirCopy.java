package org.chexaudit.transforms.ml;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.chexaudit.transforms.io.Resources;

/**
 * Keeps a copy of a local model dir (TensorFlow writes only local files) in a folder on any Beam file
 * system, as training goes: each call copies the files that changed since the last call, each under a
 * temporary name renamed into place, and the checkpoint last, so that a run killed at any moment leaves
 * a folder whose checkpoint is whole and no older than its log and best weights.
 */
final class ModelDirCopy {
  /** The file a resumed run starts from; copied after everything else. */
  static final String CHECKPOINT = "checkpoints/last.npz";
  private static final String TEMPORARY = ".copying";
  private final Path local;
  private final ResourceId target;
  private final Map<Path, String> copied = new HashMap<>();

  private ModelDirCopy(Path local, ResourceId target) {
    this.local = local;
    this.target = target;
  }

  static ModelDirCopy of(Path local, ResourceId target) {
    return new ModelDirCopy(local, target);
  }

  /** Whether {@code target} holds a checkpoint to resume from. */
  boolean targetHasCheckpoint() {
    return Resources.exists(Resources.file(target, CHECKPOINT));
  }

  /** Copies the target folder into the local dir (to resume there), skipping unfinished copies. */
  void download() {
    Resources.download(target, local);
    try (Stream<Path> files = Files.walk(local)) {
      for (Path p : files.filter(f -> f.getFileName().toString().endsWith(TEMPORARY)).toList()) {
        Files.delete(p);
      }
      for (Path p : files().toList()) {
        copied.put(p, stamp(p)); // already there
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + local + " to resume from " + target, e);
    }
  }

  /** Copies every local file that changed since the last call into the target folder. */
  void upload() throws IOException {
    List<Path> changed = new ArrayList<>();
    Path checkpoint = local.resolve(CHECKPOINT);
    try (Stream<Path> files = files()) {
      for (Path p : files.toList()) {
        if (!stamp(p).equals(copied.get(p)) && !p.equals(checkpoint)) {
          changed.add(p);
        }
      }
    }
    if (Files.exists(checkpoint) && !stamp(checkpoint).equals(copied.get(checkpoint))) {
      changed.add(checkpoint);
    }
    for (Path p : changed) {
      String stamp = stamp(p);
      String name = local.relativize(p).toString().replace('\\', '/');
      ResourceId part = Resources.file(target, name + TEMPORARY);
      try (OutputStream out = Resources.create(part)) {
        Files.copy(p, out);
      }
      FileSystems.rename(List.of(part), List.of(Resources.file(target, name)),
          MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      copied.put(p, stamp);
    }
  }

  private Stream<Path> files() throws IOException {
    return Files.walk(local).filter(Files::isRegularFile).sorted();
  }

  private static String stamp(Path p) throws IOException {
    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
    // The file key (inode) too: the trainer replaces its files by renaming new ones over them.
    return a.size() + "@" + a.lastModifiedTime().toInstant() + "#" + a.fileKey();
  }
}
