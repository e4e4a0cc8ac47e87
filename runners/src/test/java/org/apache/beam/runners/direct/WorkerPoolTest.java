package org.apache.beam.runners.direct;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scheduler's wait: for a task to finish or be submitted, never while nothing else runs. */
class WorkerPoolTest {
  private static final long LONG_WAIT = TimeUnit.SECONDS.toNanos(30);
  private final WorkerPool pool = new WorkerPool(3, Executors.defaultThreadFactory());
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void shutDown() throws InterruptedException {
    release.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS), is(true));
  }

  @Test
  void returnsAtOnceWhenNoOtherTaskRuns() throws Exception {
    assertThat(secondsOf(pool.submit(() -> pool.awaitWorkSince(pool.events(), LONG_WAIT))), lessThan(10.0));
  }

  @Test
  void waitsUntilARunningTaskFinishes() throws Exception {
    CountDownLatch blockerRunning = new CountDownLatch(1);
    pool.submit(() -> awaitQuietly(blockerRunning, release));
    blockerRunning.await();
    CountDownLatch schedulerWaiting = new CountDownLatch(1);
    Future<?> scheduler = pool.submit(() -> {
      long before = pool.events();
      schedulerWaiting.countDown();
      pool.awaitWorkSince(before, LONG_WAIT);
    });
    schedulerWaiting.await();
    Thread.sleep(300);
    assertThat("still waiting while the other task runs", scheduler.isDone(), is(false));
    release.countDown();
    assertThat(secondsOf(scheduler), lessThan(10.0));
  }

  @Test
  void returnsWhenAnotherTaskIsSubmitted() throws Exception {
    CountDownLatch blockerRunning = new CountDownLatch(1);
    pool.submit(() -> awaitQuietly(blockerRunning, release));
    blockerRunning.await();
    CountDownLatch schedulerWaiting = new CountDownLatch(1);
    Future<?> scheduler = pool.submit(() -> {
      long before = pool.events();
      schedulerWaiting.countDown();
      pool.awaitWorkSince(before, LONG_WAIT);
    });
    schedulerWaiting.await();
    Thread.sleep(300);
    assertThat(scheduler.isDone(), is(false));
    pool.submit(() -> awaitQuietly(new CountDownLatch(1), release));
    assertThat(secondsOf(scheduler), lessThan(10.0));
  }

  @Test
  void returnsAtOnceWhenATaskFinishedSinceTheCountWasRead() throws Exception {
    CountDownLatch blockerRunning = new CountDownLatch(1);
    pool.submit(() -> awaitQuietly(blockerRunning, release));
    blockerRunning.await();
    long before = pool.events();
    pool.submit(() -> { }).get();
    assertThat(secondsOf(pool.submit(() -> pool.awaitWorkSince(before, LONG_WAIT))), lessThan(10.0));
  }

  @Test
  void givesUpAfterTheLongestWait() throws Exception {
    CountDownLatch blockerRunning = new CountDownLatch(1);
    pool.submit(() -> awaitQuietly(blockerRunning, release));
    blockerRunning.await();
    long start = System.nanoTime();
    pool.submit(() -> pool.awaitWorkSince(pool.events(), TimeUnit.MILLISECONDS.toNanos(200))).get(30, TimeUnit.SECONDS);
    assertThat(System.nanoTime() - start, greaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200)));
  }

  private static double secondsOf(Future<?> task) throws Exception {
    long start = System.nanoTime();
    task.get(30, TimeUnit.SECONDS);
    return (System.nanoTime() - start) / 1e9;
  }

  private static void awaitQuietly(CountDownLatch running, CountDownLatch release) {
    running.countDown();
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
