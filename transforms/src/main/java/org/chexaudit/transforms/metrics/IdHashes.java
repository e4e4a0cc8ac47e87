package org.chexaudit.transforms.metrics;

import java.util.Arrays;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.chexaudit.transforms.io.IdHash;

/**
 * The 64-bit hashes of the ids one reader saw, emitted split by bucket (the hash modulo the buckets,
 * unsigned): the duplicate-id check then shuffles 8 bytes a row in a few large arrays instead of one
 * element per row.
 */
final class IdHashes {
  private final int buckets;
  private long[] hashes = new long[1024];
  private int n;

  IdHashes(int buckets) {
    this.buckets = buckets;
  }

  void add(String id) {
    if (n == hashes.length) {
      hashes = Arrays.copyOf(hashes, 2 * n);
    }
    hashes[n++] = IdHash.of(id);
  }

  /** One array per non-empty bucket (in no particular order: the check sorts them). */
  void emit(DoFn.OutputReceiver<KV<Integer, long[]>> out) {
    int[] counts = new int[buckets];
    for (int i = 0; i < n; i++) {
      counts[bucket(hashes[i], buckets)]++;
    }
    long[][] parts = new long[buckets][];
    for (int b = 0; b < buckets; b++) {
      parts[b] = new long[counts[b]];
      counts[b] = 0;
    }
    for (int i = 0; i < n; i++) {
      int b = bucket(hashes[i], buckets);
      parts[b][counts[b]++] = hashes[i];
    }
    for (int b = 0; b < buckets; b++) {
      if (parts[b].length > 0) {
        out.output(KV.of(b, parts[b]));
      }
    }
  }

  static int bucket(long hash, int buckets) {
    return (int) Long.remainderUnsigned(hash, buckets);
  }
}
