package org.chexaudit.transforms.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.DeadLetter;
import org.chexaudit.schemas.ImageExample;

/**
 * One shard's records decoded in order by the worker that owns the shard, helped by workers of the same
 * JVM that have run out of work of their own ({@link #help}). A shard is written by one worker, so with
 * few shards per worker the run ends with one worker decoding its last shards while the others wait: on
 * Flink a task's shards are fixed by a hash of their keys (32 shards over two workers: 14 and 18 is as
 * likely as 16 and 16), and on any runner the last shard is decoded alone. Here a worker whose input is
 * done decodes records of the shards still running, with its own decoder, and the owner writes every
 * image in its place in the shard's order: the same files, whoever decoded them.
 *
 * <p>Helpers run a record at most {@value #AHEAD} places ahead of the one the owner writes, so a shard's
 * images in memory stay bounded. A record's failure (an exception, not a dead letter) reaches the owner,
 * which fails its shard as if it had decoded the record itself.
 */
final class ShardDecoding {
  /** How far ahead of the owner's next image a record may be decoded. */
  static final int AHEAD = 8;
  /** How long a helper waits for a shard to start before its worker moves on. */
  private static final long LINGER_MS = 50;
  private static final Set<ShardDecoding> RUNNING = ConcurrentHashMap.newKeySet();
  /** Helpers wait on it for a record they may take. */
  private static final Object WORK = new Object();

  private final List<CohortRecord> records;
  /** The owner's maker: only copies of it may help. */
  private final ImageMaker settings;
  /** Per record: its ImageExample, DeadLetter or Throwable once made; null before, and after the owner took it. */
  private final Object[] made;
  /** The first record no one has taken to decode. */
  private int next;
  /** The record the owner writes next. */
  private int writing;
  private boolean abandoned;

  private ShardDecoding(List<CohortRecord> records, ImageMaker settings) {
    this.records = records;
    this.settings = settings;
    this.made = new Object[records.size()];
  }

  /**
   * Decodes {@code records} in order with {@code maker} (and helpers' makers), giving each image to
   * {@code images} and each unusable record to {@code dead}, in the records' order, on this thread.
   */
  static void decode(List<CohortRecord> records, ImageMaker maker, Consumer<ImageExample> images,
      Consumer<DeadLetter> dead) throws IOException {
    ShardDecoding shard = new ShardDecoding(records, maker);
    RUNNING.add(shard);
    wakeHelpers();
    try {
      for (int i = 0; i < records.size(); i++) {
        Object m = shard.await(i, maker);
        if (m instanceof ImageExample image) {
          images.accept(image);
        } else if (m instanceof DeadLetter letter) {
          dead.accept(letter);
        } else if (m instanceof IOException e) {
          throw e;
        } else if (m instanceof RuntimeException e) {
          throw e;
        } else {
          throw (Error) m;
        }
      }
    } finally {
      RUNNING.remove(shard);
      synchronized (shard) {
        shard.abandoned = true;
      }
    }
  }

  /**
   * Decodes records of other workers' running shards made by copies of {@code maker} until none is left
   * (shards of other transforms, which make other images, are not touched): returns at
   * once when no shard is running, else once none has been running for a moment (on Flink a task's next
   * shard follows the last within milliseconds).
   */
  static void help(ImageMaker maker) {
    if (!anyRunningFor(maker)) {
      return;
    }
    long idleSince = -1;
    while (true) {
      boolean helped = false;
      for (ShardDecoding shard : RUNNING) {
        int i = shard.helpableBy(maker) ? shard.take() : -1;
        if (i >= 0) {
          shard.make(i, maker);
          helped = true;
        }
      }
      if (helped) {
        idleSince = -1;
        continue;
      }
      long now = System.nanoTime();
      if (!anyRunningFor(maker)) {
        if (idleSince < 0) {
          idleSince = now;
        } else if (now - idleSince > LINGER_MS * 1_000_000) {
          return;
        }
      } else {
        idleSince = -1;
      }
      synchronized (WORK) {
        try {
          WORK.wait(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Whether a shard made by copies of {@code maker} is running. */
  private static boolean anyRunningFor(ImageMaker maker) {
    return RUNNING.stream().anyMatch(shard -> shard.helpableBy(maker));
  }

  /** Whether {@code maker} makes this shard's images as its owner's maker does. */
  private boolean helpableBy(ImageMaker maker) {
    return settings.sameSettings(maker);
  }

  /** The owner's record {@code i}: made by itself, or by a helper while it made later ones or waited. */
  private Object await(int i, ImageMaker maker) throws IOException {
    while (true) {
      int mine;
      synchronized (this) {
        if (made[i] != null) {
          Object m = made[i];
          made[i] = null;
          writing = i + 1;
          wakeHelpers();
          return m;
        }
        mine = take();
        if (mine < 0) {
          try {
            wait(); // record i is a helper's; it notifies when made
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while decoding " + records.get(i).getId(), e);
          }
          continue;
        }
      }
      make(mine, maker);
    }
  }

  /** The next record to decode, or -1 when none may be taken now. */
  private synchronized int take() {
    if (abandoned || next >= records.size() || next >= writing + AHEAD) {
      return -1;
    }
    return next++;
  }

  private void make(int i, ImageMaker maker) {
    Object[] result = new Object[1];
    try {
      maker.make(records.get(i), image -> result[0] = image, letter -> result[0] = letter);
    } catch (IOException | RuntimeException | Error e) {
      result[0] = e;
    }
    if (result[0] == null) {
      result[0] = new UncheckedIOException(new IOException(records.get(i).getId() + ": no image and no dead letter"));
    }
    synchronized (this) {
      made[i] = result[0];
      notifyAll();
    }
  }

  private static void wakeHelpers() {
    synchronized (WORK) {
      WORK.notifyAll();
    }
  }
}
