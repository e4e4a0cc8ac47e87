package org.chexaudit.transforms.ml;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.specific.SpecificDatumReader;
import org.chexaudit.core.imaging.TrainSubset;
import org.chexaudit.models.ExampleSource;
import org.chexaudit.schemas.ImageExample;
import org.chexaudit.schemas.TrustedSchemas;
import org.chexaudit.transforms.io.Resources;

/**
 * The examples of one split and subset in {@link ImageExample} Avro shards on any Beam file system, one
 * part per shard, read record by record through {@link Resources#open} (never a whole shard in memory).
 * A record's split is its {@code split} field or, when that is null, the name of its shard's folder
 * ({@code images/<split>/part-*.avro}, as preprocess writes them).
 */
final class ShardExamples implements ExampleSource {
  private final List<String> shards;
  private final String split;
  private final TrainSubset subset;

  private ShardExamples(List<String> shards, String split, TrainSubset subset) {
    this.shards = List.copyOf(shards);
    this.split = split;
    this.subset = subset;
  }

  /** {@code shards} (their order is the set's canonical order), keeping records of {@code split} in {@code subset}. */
  static ShardExamples of(List<String> shards, String split, TrainSubset subset) {
    return new ShardExamples(shards, split, subset);
  }

  @Override
  public List<String> parts() {
    return shards;
  }

  @Override
  public Records open(int part) throws IOException {
    String path = shards.get(part);
    String folderSplit = folderName(path);
    TrustedSchemas.install();
    InputStream in = Resources.open(Resources.file(path));
    DataFileStream<ImageExample> records;
    try {
      records = new DataFileStream<>(in, new SpecificDatumReader<>(ImageExample.class));
    } catch (IOException | RuntimeException e) {
      in.close();
      throw new IOException("cannot read image shard " + path + ": " + e.getMessage(), e);
    }
    return new Records() {
      private ImageExample next;

      @Override
      public boolean hasNext() {
        while (next == null && records.hasNext()) {
          ImageExample e = records.next();
          String s = e.getSplit() != null ? e.getSplit().toString() : folderSplit;
          if (split.equals(s) && subset.contains(e)) {
            next = e;
          }
        }
        return next != null;
      }

      @Override
      public ImageExample next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        ImageExample e = next;
        next = null;
        return e;
      }

      @Override
      public void close() throws IOException {
        records.close();
      }
    };
  }

  /** The last folder of {@code path} ({@code train} of {@code .../images/train/part-0.avro}), or null. */
  static String folderName(String path) {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    int file = p.lastIndexOf('/');
    if (file <= 0) {
      return null;
    }
    int folder = p.lastIndexOf('/', file - 1);
    String name = p.substring(folder + 1, file);
    return name.isEmpty() || name.endsWith(":") ? null : name;
  }
}
