package org.chexaudit.pipelines;

import java.util.List;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.chexaudit.schemas.ImageExample;
import org.chexaudit.transforms.io.Resources;
import org.chexaudit.transforms.io.ShardFiles;

/**
 * The preprocess stage's {@code images/<split>/*.avro} shards, checked before a stage starts; any Beam
 * path ({@code /local}, {@code hdfs://}, {@code s3://}).
 */
final class ImageShards {
  private ImageShards() {}

  /** {@code DIR/images} when it holds split folders of shards, else {@code DIR} itself (a folder of split folders). */
  static String root(String shards) {
    ResourceId dir = Resources.dir(shards);
    ResourceId images = Resources.dir(dir, "images");
    return Resources.path(Resources.list(images, "*/*.avro").isEmpty() ? dir : images);
  }

  /** The glob of {@code split}'s shard files, e.g. {@code /runs/x/images/test/*.avro}. */
  static String pattern(String shards, String split) {
    return root(shards) + "/" + split + "/*.avro";
  }

  /** The shard files of {@code split}, sorted; fails naming the folder when there are none. */
  static List<String> of(String shards, String split) {
    ResourceId dir = Resources.dir(Resources.dir(root(shards)), split);
    List<String> files = Resources.list(dir, "*.avro").stream()
        .map(MatchResult.Metadata::resourceId).map(Resources::path).toList();
    if (files.isEmpty()) {
      String where = Resources.hasFiles(Resources.dir(shards)) ? "no .avro files in " + Resources.path(dir)
          : "nothing under " + Resources.path(Resources.dir(shards));
      throw new IllegalArgumentException("--shards " + shards + ": no '" + split + "' shards (" + where
          + "; expected the preprocess output's images/<split>/part-*.avro)");
    }
    return files;
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
