package org.chexaudit.transforms.image;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.beam.sdk.util.SerializableUtils;
import org.chexaudit.core.image.GreyDecoder;
import org.chexaudit.core.image.GreyImage;
import org.chexaudit.core.image.ImageDecodeException;
import org.chexaudit.core.image.ImageFixtures;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.DeadLetter;
import org.chexaudit.schemas.ImageExample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker out of shards helps decode another worker's shard: the owner still writes every image and dead
 * letter in the shard's order, the same as decoding alone; a maker of other settings does not help; a
 * helper's failure fails the owner's shard.
 */
class ShardDecodingTest {
  @TempDir Path root;
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @BeforeEach
  void reset() {
    CountingFactory.BY_THREAD.clear();
    CountingFactory.started = new CountDownLatch(1);
    CountingFactory.helped = new CountDownLatch(1);
  }

  /**
   * Passes what the owner writes to {@code out}, holding the owner at its 10th until a helper has begun a decode, so
   * a slow machine cannot let the owner finish before the helper starts.
   */
  private static Consumer<Object> waitingForHelp(List<Object> out) {
    return made -> {
      out.add(made);
      if (out.size() == 10) {
        awaitQuietly(CountingFactory.helped);
      }
    };
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  /**
   * Starts the owner of a shard of {@code records} on a thread of this name, writing images and dead letters to
   * {@code write}; returns once its first decode has begun (its shard is running).
   */
  private Future<?> own(String thread, List<CohortRecord> records, ImageMaker maker, Consumer<Object> write)
      throws InterruptedException {
    Future<?> owning = pool.submit(() -> {
      Thread.currentThread().setName(thread);
      ShardDecoding.decode(records, maker, write::accept, write::accept);
      return null;
    });
    assertThat(CountingFactory.started.await(10, TimeUnit.SECONDS), is(true));
    return owning;
  }

  /** Runs {@code help} with {@code maker} on a thread of this name, to its end. */
  private void helpOn(String thread, ImageMaker maker) throws Exception {
    pool.submit(() -> {
      Thread.currentThread().setName(thread);
      ShardDecoding.help(maker);
    }).get(30, TimeUnit.SECONDS);
  }

  /** Decodes per thread, counted; a little slow so a helper has time to join; fails on threads named "failing". */
  static final class CountingFactory implements GreyDecoder.Factory {
    static final Map<String, AtomicInteger> BY_THREAD = new ConcurrentHashMap<>();
    /** Opened when a decode has begun: the owner's shard is running. */
    static volatile CountDownLatch started = new CountDownLatch(1);
    /** Opened when a helper has begun a decode. */
    static volatile CountDownLatch helped = new CountDownLatch(1);

    @Override
    public GreyDecoder open() {
      GreyDecoder jdk = GreyDecoder.jdk().open();
      return new GreyDecoder() {
        @Override
        public GreyImage decode(byte[] data) throws ImageDecodeException {
          String thread = Thread.currentThread().getName();
          if (!thread.startsWith("owner")) {
            helped.countDown();
          }
          if (thread.startsWith("failing")) {
            throw new IllegalStateException("decoder broke on " + thread);
          }
          BY_THREAD.computeIfAbsent(thread, t -> new AtomicInteger()).incrementAndGet();
          started.countDown();
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return jdk.decode(data);
        }

        @Override
        public String name() {
          return "counting";
        }
      };
    }
  }

  /** 60 records, images of varied sizes; records 7 and 31 have no file (dead letters). */
  private List<CohortRecord> records() throws Exception {
    Path dir = Files.createDirectories(root.resolve("images"));
    List<CohortRecord> records = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String name = String.format("img%03d.jpg", i);
      if (i != 7 && i != 31) {
        Files.write(dir.resolve(name), ImageFixtures.greyJpeg(30 + i % 7, 20 + i % 3, i));
      }
      records.add(DecodeAndResizeTest.record(name.replace(".jpg", ""), "images/" + name));
    }
    return records;
  }

  private ImageMaker maker() {
    return new ImageMaker(root.toString(), 8, 8, null, 0.9f, 0, new CountingFactory());
  }

  /** What one worker alone makes of the records: images and dead letters, each in order. */
  private static List<Object> alone(ImageMaker maker, List<CohortRecord> records) throws Exception {
    List<Object> out = new ArrayList<>();
    for (CohortRecord r : records) {
      maker.make(r, out::add, out::add);
    }
    return out;
  }

  private static String describe(Object made) {
    if (made instanceof ImageExample e) {
      return e.getId() + " " + e.getPixels();
    }
    DeadLetter d = (DeadLetter) made;
    return "dead " + d.getRecord() + " " + d.getReason();
  }

  @Test
  void aHelperDecodesPartOfTheShardAndTheOwnerWritesItInOrder() throws Exception {
    List<CohortRecord> records = records();
    ImageMaker owner = maker();
    ImageMaker helper = SerializableUtils.clone(owner); // how a second worker gets the transform
    ImageMaker reference = SerializableUtils.clone(owner);
    owner.open();
    helper.open();
    reference.open();
    List<Object> expected = alone(reference, records);
    CountingFactory.BY_THREAD.clear();
    CountingFactory.started = new CountDownLatch(1);

    List<Object> written = new ArrayList<>();
    Future<?> owning = own("owner", records, owner, waitingForHelp(written));
    helpOn("helper", helper);
    owning.get(30, TimeUnit.SECONDS);

    assertThat(written.stream().map(ShardDecodingTest::describe).toList(),
        equalTo(expected.stream().map(ShardDecodingTest::describe).toList()));
    assertThat(CountingFactory.BY_THREAD.get("helper").get(), greaterThan(0));
    assertThat(CountingFactory.BY_THREAD.get("owner").get(), greaterThan(0));
    assertThat(CountingFactory.BY_THREAD.get("owner").get() + CountingFactory.BY_THREAD.get("helper").get(),
        equalTo(records.size() - 2));
  }

  @Test
  void aMakerOfOtherSettingsDoesNotHelp() throws Exception {
    List<CohortRecord> records = records();
    ImageMaker owner = maker();
    ImageMaker other = maker(); // same arguments, another transform: not a copy
    owner.open();
    other.open();
    CountDownLatch release = new CountDownLatch(1);
    Future<?> owning = own("owner2", records, owner, made -> {
      if (made instanceof ImageExample) {
        awaitQuietly(release);
      }
    });
    helpOn("other", other); // returns at once: nothing of its own settings runs
    assertThat(owning.isDone(), is(false));
    release.countDown();
    owning.get(30, TimeUnit.SECONDS);
    assertThat(CountingFactory.BY_THREAD.containsKey("other"), is(false));
  }

  @Test
  void aHelpersFailureFailsTheOwnersShard() throws Exception {
    List<CohortRecord> records = records();
    ImageMaker owner = maker();
    ImageMaker helper = SerializableUtils.clone(owner);
    owner.open();
    helper.open();
    Future<?> owning = own("owner3", records, owner, waitingForHelp(new ArrayList<>()));
    helpOn("failing-helper", helper);
    ExecutionException e = assertThrows(ExecutionException.class, () -> owning.get(30, TimeUnit.SECONDS));
    assertThat(e.getCause().getMessage(), containsString("decoder broke on failing-helper"));
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
