package org.chexaudit.transforms.metrics;

import java.util.Arrays;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.chexaudit.transforms.io.IdHash;

/**
 * The 64-bit hashes of the ids one reader saw, emitted sorted and split by bucket (the hash's top 10
 * bits): the duplicate-id check then shuffles 8 bytes a row in a few large arrays instead of one
 * element per row.
 */
final class IdHashes {
  private long[] hashes = new long[1024];
  private int n;

  void add(String id) {
    if (n == hashes.length) {
      hashes = Arrays.copyOf(hashes, 2 * n);
    }
    hashes[n++] = IdHash.of(id);
  }

  /** One sorted array per non-empty bucket. */
  void emit(DoFn.OutputReceiver<KV<Integer, long[]>> out) {
    long[] sorted = Arrays.copyOf(hashes, n);
    // order by bucket first (top bits, unsigned), then by value: signed order would split bucket 512..1023
    for (int i = 0; i < n; i++) {
      sorted[i] ^= Long.MIN_VALUE;
    }
    Arrays.sort(sorted);
    int start = 0;
    for (int i = 1; i <= n; i++) {
      if (i == n || bucket(sorted[i] ^ Long.MIN_VALUE) != bucket(sorted[start] ^ Long.MIN_VALUE)) {
        long[] part = Arrays.copyOfRange(sorted, start, i);
        for (int j = 0; j < part.length; j++) {
          part[j] ^= Long.MIN_VALUE;
        }
        out.output(KV.of(bucket(part[0]), part));
        start = i;
      }
    }
  }

  static int bucket(long hash) {
    return (int) (hash >>> (64 - 10)); // ReadScoredRows.ID_BUCKETS = 1024 = 2^10
  }
}
