package org.chexaudit.pipelines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.chexaudit.schemas.ImageExample;
import org.chexaudit.transforms.io.ShardFiles;

/** The preprocess stage's {@code images/<split>/*.avro} shards, checked before a stage starts. */
final class ImageShards {
  private ImageShards() {}

  /** {@code DIR/images} when it exists, else {@code DIR} itself (a folder of split folders). */
  static Path root(String shards) {
    Path dir = Paths.get(shards);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--shards " + shards + ": no such folder (expected the preprocess output)");
    }
    return Files.isDirectory(dir.resolve("images")) ? dir.resolve("images") : dir;
  }

  /** The shard files of {@code split}, sorted; fails naming the folder when there are none. */
  static List<String> of(String shards, String split) {
    Path dir = root(shards).resolve(split);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--shards " + shards + ": no '" + split + "' shards (missing folder " + dir
          + "; expected the preprocess output's images/<split>/part-*.avro)");
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<String> files = s.filter(p -> p.getFileName().toString().endsWith(".avro"))
          .map(p -> p.toAbsolutePath().toString()).sorted().toList();
      if (files.isEmpty()) {
        throw new IllegalArgumentException("--shards " + shards + ": folder " + dir + " holds no .avro shards");
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** The side of the (square) images in {@code shards}, from the first record found; fails when none or not square. */
  static int imageSize(List<String> shards) {
    ImageExample e = firstRecord(shards);
    if (e.getHeight() != e.getWidth()) {
      throw new IllegalArgumentException("image " + e.getId() + " is " + e.getHeight() + "x" + e.getWidth()
          + "; the models take square images (CheXclusion's shorter-side images: --protocol=chexclusion)");
    }
    return e.getHeight();
  }

  /**
   * The shorter side of the first record found (CheXclusion's shards keep each image's aspect; the
   * model takes their centre square); fails when there are none.
   */
  static int shorterSide(List<String> shards) {
    ImageExample e = firstRecord(shards);
    return Math.min(e.getHeight(), e.getWidth());
  }

  /** The number of disease labels of the first record found. */
  static int labelCount(List<String> shards) {
    return firstRecord(shards).getLabels().size();
  }

  private static ImageExample firstRecord(List<String> shards) {
    for (String s : shards) {
      ImageExample e = ShardFiles.first(s);
      if (e != null) {
        return e;
      }
    }
    throw new IllegalArgumentException("image shards hold no records: " + shards);
  }

  static String abbreviate(List<String> paths) {
    return paths.size() <= 2 ? paths.toString() : "[" + paths.get(0) + ", ... " + paths.size() + " files]";
  }
}
