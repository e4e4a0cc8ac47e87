package org.chexaudit.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.chexaudit.schemas.ImageExample;

/**
 * A training or validation set read from an {@link ExampleSource} as a stream, never held whole: one
 * pass at the start checks every example (image size, labels), counts them per part and fingerprints the
 * set in its canonical order; then each epoch streams the parts again, in canonical order for validation
 * or shuffled for training (parts in a seeded order, examples through a {@link ShuffleBuffer}). Memory
 * is the buffer and the batch being built, whatever the set's size.
 */
final class ImageData {
  /** Mixed into the epoch's seed for the order of the parts, so it does not share the examples' generator. */
  private static final long PART_ORDER = 0x9E3779B97F4A7C15L;
  final int size;
  final InputRecipe input;
  final String fingerprint;
  private final ExampleSource source;
  private final ModelSpec spec;
  private final List<Head> heads;
  private final String what;
  /** Examples per part, and the canonical index of each part's first example. */
  private final int[] partCounts;
  private final int[] partStarts;
  private final int count;

  private ImageData(ExampleSource source, ModelSpec spec, List<Head> heads, String what, int[] partCounts,
      String fingerprint) {
    this.size = spec.imageSize();
    this.input = spec.input();
    this.source = source;
    this.spec = spec;
    this.heads = heads;
    this.what = what;
    this.partCounts = partCounts;
    this.partStarts = new int[partCounts.length];
    long n = 0;
    for (int i = 0; i < partCounts.length; i++) {
      partStarts[i] = (int) n;
      n += partCounts[i];
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(what + " set has " + n + " examples, more than " + Integer.MAX_VALUE);
    }
    this.count = (int) n;
    this.fingerprint = fingerprint;
  }

  /** Scans {@code source} once (checks, counts, fingerprint); {@code heads} says which labels must be present. */
  static ImageData of(ExampleSource source, ModelSpec spec, List<Head> heads, String what) {
    MessageDigest sha = sha256();
    boolean whole = spec.input().centreCrop();
    int parts = source.parts().size();
    int[] counts = new int[parts];
    long n = 0;
    for (int p = 0; p < parts; p++) {
      try (ExampleSource.Records records = source.open(p)) {
        while (records.hasNext()) {
          TrainingExample e = TrainingExample.of(records.next(), (int) Math.min(n, Integer.MAX_VALUE), spec, heads, what);
          e.digest(sha, whole);
          counts[p]++;
          n++;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + what + " data " + source.parts().get(p), e);
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException(what + " set is empty");
    }
    return new ImageData(source, spec, heads, what, counts, n + ":" + HexFormat.of().formatHex(sha.digest()));
  }

  /** Examples in memory, as one part (tests, small sets). */
  static ImageData of(Iterable<ImageExample> examples, ModelSpec spec, List<Head> heads, String what) {
    return of(ExampleSource.of(examples), spec, heads, what);
  }

  int count() {
    return count;
  }

  /** The examples in canonical order (parts in order, each part's records in order). */
  Examples inOrder() {
    int[] order = new int[partCounts.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    return new Examples(order, null);
  }

  /**
   * Epoch {@code epoch}'s training order for {@code seed}: the parts in a seeded random order, their
   * examples through a shuffle buffer of {@code buffer} examples; the same arguments give the same order.
   */
  Examples shuffled(long seed, int epoch, int buffer) {
    long epochSeed = seed * 31 + epoch * 0x2545F4914F6CDD1DL;
    int[] order = permutation(partCounts.length, new SplittableRandom(epochSeed ^ PART_ORDER));
    // A set that fits in the buffer is shuffled from id order: the same order whatever its parts hold.
    return new Examples(order, new SplittableRandom(epochSeed)).buffered(buffer);
  }

  static int[] permutation(int n, SplittableRandom rng) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** One pass over the set's parts in a given order; close it to release the part being read. */
  final class Examples implements Iterator<TrainingExample>, AutoCloseable {
    private final int[] order;
    private final SplittableRandom bufferRng;
    private Iterator<TrainingExample> out = this.new Stream();
    private int next;
    private ExampleSource.Records open;
    private int part = -1;
    private int seenInPart;

    private Examples(int[] order, SplittableRandom bufferRng) {
      this.order = order;
      this.bufferRng = bufferRng;
    }

    private Examples buffered(int capacity) {
      // by id at the end: a set that fits in the buffer trains in the same order however its shards hold it
      out = ShuffleBuffer.of(new Stream(), capacity, bufferRng, Comparator.comparing((TrainingExample e) -> e.id));
      return this;
    }

    @Override
    public boolean hasNext() {
      return out.hasNext();
    }

    @Override
    public TrainingExample next() {
      return out.next();
    }

    @Override
    public void close() {
      closePart();
    }

    private void closePart() {
      if (open != null) {
        try {
          open.close();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot close " + what + " data " + source.parts().get(part), e);
        } finally {
          open = null;
        }
      }
    }

    /** The parts' examples one after another, unshuffled. */
    private final class Stream implements Iterator<TrainingExample> {
      @Override
      public boolean hasNext() {
        try {
          while (open == null || !open.hasNext()) {
            if (open != null) {
              checkComplete();
              closePart();
            }
            if (next >= order.length) {
              return false;
            }
            part = order[next++];
            seenInPart = 0;
            if (partCounts[part] > 0) { // a part with none of this set's examples is not read again
              open = source.open(part);
            }
          }
          return true;
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + what + " data " + source.parts().get(part), e);
        }
      }

      @Override
      public TrainingExample next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        ImageExample e = open.next();
        if (seenInPart >= partCounts[part]) {
          throw changed();
        }
        return TrainingExample.of(e, partStarts[part] + seenInPart++, spec, heads, what);
      }

      private void checkComplete() {
        if (seenInPart != partCounts[part]) {
          throw changed();
        }
      }

      private IllegalStateException changed() {
        return new IllegalStateException(what + " data " + source.parts().get(part) + " changed during training: it held "
            + partCounts[part] + " examples when training started");
      }
    }
  }

  /** The example's pixels as the model of {@code spec} takes them (centre-cropped when its recipe says so). */
  static byte[] inputOf(ImageExample e, ModelSpec spec, String what) {
    if (!spec.input().centreCrop()) {
      return pixelsOf(e, spec.imageSize(), what);
    }
    return CentreCrop.of(uncropped(e, spec.imageSize(), what), e.getHeight(), e.getWidth(), spec.imageSize());
  }

  /** All pixels of an image at least {@code size} on each side. */
  static byte[] uncropped(ImageExample e, int size, String what) {
    int h = e.getHeight();
    int w = e.getWidth();
    if (h < size || w < size) {
      throw new IllegalArgumentException(what + " example " + e.getId() + " is " + h + "x" + w
          + ", smaller than the model's " + size + "x" + size + " centre crop");
    }
    return bytes(e, h * w, what);
  }

  static byte[] pixelsOf(ImageExample e, int size, String what) {
    if (e.getHeight() != size || e.getWidth() != size) {
      throw new IllegalArgumentException(what + " example " + e.getId() + " is " + e.getHeight() + "x"
          + e.getWidth() + " but the model takes " + size + "x" + size + " images");
    }
    return bytes(e, size * size, what);
  }

  private static byte[] bytes(ImageExample e, int expected, String what) {
    ByteBuffer buf = e.getPixels().duplicate();
    if (buf.remaining() != expected) {
      throw new IllegalArgumentException(what + " example " + e.getId() + " has " + buf.remaining()
          + " pixel bytes, expected " + expected);
    }
    byte[] p = new byte[expected];
    buf.get(p);
    return p;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
