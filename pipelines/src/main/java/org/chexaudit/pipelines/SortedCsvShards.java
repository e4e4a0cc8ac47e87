package org.chexaudit.pipelines;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.chexaudit.transforms.io.Resources;

/**
 * CSV files whose rows are sorted by id, written without gathering a file's rows anywhere: the pipeline
 * deals each file's rows ({@code KV<file, KV<id, row>>}) into {@value #BUCKETS} buckets by a hash of the
 * id, sorts each bucket on its worker and writes it as a shard under {@code shardDir/<file>/}; after the
 * run, {@link #merge} streams a k-way merge of a file's shards, under its header, into the final CSV
 * through Beam's file systems, holding one row per shard in memory. A retried bucket rewrites the shard of
 * the same name, so retries leave no duplicates.
 */
final class SortedCsvShards extends PTransform<PCollection<KV<String, KV<String, String>>>, PDone> {
  /** Shards per file: a bucket holds about 1/32 of a file's rows (31k of a million) while it is sorted. */
  static final int BUCKETS = 32;
  private static final String SUFFIX = ".rows";

  private final String shardDir;

  private SortedCsvShards(String shardDir) {
    this.shardDir = shardDir;
  }

  /** Writes the sorted shards under {@code shardDir} (any Beam path). */
  static SortedCsvShards to(String shardDir) {
    return new SortedCsvShards(shardDir);
  }

  @Override
  public PDone expand(PCollection<KV<String, KV<String, String>>> rows) {
    rows.apply("Bucket", ParDo.of(new BucketFn()))
        .setCoder(KvCoder.of(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()),
            KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())))
        .apply("GroupBuckets", GroupByKey.create())
        .apply("WriteSortedShards", ParDo.of(new WriteShardFn(shardDir)));
    return PDone.in(rows.getPipeline());
  }

  static final class BucketFn extends DoFn<KV<String, KV<String, String>>, KV<KV<String, Integer>, KV<String, String>>> {
    @ProcessElement
    public void process(@Element KV<String, KV<String, String>> row,
        OutputReceiver<KV<KV<String, Integer>, KV<String, String>>> out) {
      out.output(KV.of(KV.of(row.getKey(), Math.floorMod(row.getValue().getKey().hashCode(), BUCKETS)),
          row.getValue()));
    }
  }

  /** Sorts one bucket (iterated once) and writes it as {@code <file>/bucket-NNNNN.rows}. */
  static final class WriteShardFn extends DoFn<KV<KV<String, Integer>, Iterable<KV<String, String>>>, Void> {
    private final String shardDir;

    WriteShardFn(String shardDir) {
      this.shardDir = shardDir;
    }

    @ProcessElement
    public void process(@Element KV<KV<String, Integer>, Iterable<KV<String, String>>> bucket) throws IOException {
      List<KV<String, String>> rows = new ArrayList<>();
      bucket.getValue().forEach(rows::add);
      rows.sort(ROW_ORDER);
      ResourceId shard = Resources.file(Resources.dir(Resources.dir(shardDir), bucket.getKey().getKey()),
          String.format("bucket-%05d%s", bucket.getKey().getValue(), SUFFIX));
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Resources.create(shard), 1 << 16))) {
        for (KV<String, String> r : rows) {
          writeString(out, r.getKey());
          writeString(out, r.getValue());
        }
      }
    }
  }

  /** By id, as {@code String.compareTo} orders them; the row itself breaks a tie, so the order is total. */
  static final Comparator<KV<String, String>> ROW_ORDER =
      Comparator.comparing((KV<String, String> r) -> r.getKey()).thenComparing(KV::getValue);

  /**
   * Merges each file's shards under {@code shardDir} into {@code outDir/<file>} below its header
   * ({@code headers}; a file with no shards is not written), then deletes the shards; returns the rows
   * written per file, by file name.
   */
  static Map<String, Long> merge(String shardDir, ResourceId outDir, Map<String, String> headers) {
    Map<String, List<ResourceId>> byFile = new TreeMap<>();
    for (MatchResult.Metadata m : Resources.list(Resources.dir(shardDir), "*/*" + SUFFIX)) {
      String path = m.resourceId().toString();
      String folder = path.substring(0, path.lastIndexOf('/'));
      byFile.computeIfAbsent(folder.substring(folder.lastIndexOf('/') + 1), k -> new ArrayList<>()).add(m.resourceId());
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Map.Entry<String, List<ResourceId>> e : byFile.entrySet()) {
      String header = headers.get(e.getKey());
      if (header == null) {
        throw new IllegalStateException("no header for the CSV " + e.getKey() + " (known: " + headers.keySet() + ")");
      }
      counts.put(e.getKey(), mergeOne(e.getValue(), Resources.file(outDir, e.getKey()), header));
    }
    Resources.deleteTree(Resources.dir(shardDir));
    return counts;
  }

  private record Head(KV<String, String> row, DataInputStream in) {}

  private static long mergeOne(List<ResourceId> shards, ResourceId target, String header) {
    List<DataInputStream> inputs = new ArrayList<>();
    long rows = 0;
    try (OutputStream out = new BufferedOutputStream(Resources.create(target), 1 << 16)) {
      out.write(header.getBytes(StandardCharsets.UTF_8));
      out.write('\n');
      PriorityQueue<Head> next = new PriorityQueue<>(Comparator.comparing(Head::row, ROW_ORDER));
      for (ResourceId s : shards) {
        DataInputStream in = new DataInputStream(new BufferedInputStream(Resources.open(s), 1 << 16));
        inputs.add(in);
        KV<String, String> first = readRow(in);
        if (first != null) {
          next.add(new Head(first, in));
        }
      }
      while (!next.isEmpty()) {
        Head h = next.poll();
        out.write(h.row().getValue().getBytes(StandardCharsets.UTF_8));
        out.write('\n');
        rows++;
        KV<String, String> following = readRow(h.in());
        if (following != null) {
          next.add(new Head(following, h.in()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot merge the sorted shards of " + target, e);
    } finally {
      for (DataInputStream in : inputs) {
        try {
          in.close();
        } catch (IOException ignored) {
          // read-only stream; nothing is lost
        }
      }
    }
    return rows;
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  /** The next (id, row) of a shard, or null at its end. */
  private static KV<String, String> readRow(DataInputStream in) throws IOException {
    int n;
    try {
      n = in.readInt();
    } catch (EOFException end) {
      return null;
    }
    String id = new String(in.readNBytes(n), StandardCharsets.UTF_8);
    int m = in.readInt();
    byte[] row = in.readNBytes(m);
    if (row.length != m) {
      throw new EOFException("truncated shard row after id " + id);
    }
    return KV.of(id, new String(row, StandardCharsets.UTF_8));
  }
}
