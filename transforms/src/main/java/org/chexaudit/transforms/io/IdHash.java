package org.chexaudit.transforms.io;

/**
 * A record id's stable 64-bit hash: the same on every JVM, runner and run (unlike {@code String.hashCode}
 * mixed by a runtime seed, or a hash of its encoded bytes under another coder). Used where an id decides
 * where a record goes or in what order: the duplicate-id check's buckets, the bootstrap's tie-break and
 * block parts, a shard of {@link SortedAvroShards}.
 */
public final class IdHash {
  private IdHash() {}

  /** FNV-1a over the UTF-16 units, finished with MurmurHash3's 64-bit mix. */
  public static long of(String id) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < id.length(); i++) {
      h = (h ^ id.charAt(i)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
