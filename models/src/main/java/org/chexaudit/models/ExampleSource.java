package org.chexaudit.models;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.chexaudit.schemas.ImageExample;

/**
 * The examples of a training or validation set as parts (shard files) that can be read again, one at a
 * time, each from its start: the trainer streams them every epoch instead of holding the set in memory.
 * The parts' list order and each part's record order define the set's canonical order (its fingerprint
 * and each example's index); an epoch visits the parts in a seeded order of its own.
 */
public interface ExampleSource {
  /** Names of the parts, for messages; their count is the number of parts. */
  List<String> parts();

  /** The records of part {@code part}, in their order; the caller closes them. */
  Records open(int part) throws IOException;

  /** An open part: its records, and the file or stream behind them to close. */
  interface Records extends Iterator<ImageExample>, AutoCloseable {
    @Override
    void close() throws IOException;

    /** The examples of {@code it}; closing runs {@code onClose}. */
    static Records of(Iterator<ImageExample> it, Runnable onClose) {
      return new Records() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public ImageExample next() {
          return it.next();
        }

        @Override
        public void close() {
          onClose.run();
        }
      };
    }
  }

  /** Examples already in memory (tests, small sets), as a single part. */
  static ExampleSource of(Iterable<ImageExample> examples) {
    Objects.requireNonNull(examples, "examples");
    return new ExampleSource() {
      @Override
      public List<String> parts() {
        return List.of("in-memory examples");
      }

      @Override
      public Records open(int part) {
        Objects.checkIndex(part, 1);
        return Records.of(examples.iterator(), () -> {});
      }
    };
  }
}
