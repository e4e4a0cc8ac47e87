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
    startBlocker();
    Future<?> scheduler = startWaitingScheduler();
    Thread.sleep(300);
    assertThat("still waiting while the other task runs", scheduler.isDone(), is(false));
    release.countDown();
    assertThat(secondsOf(scheduler), lessThan(10.0));
  }

  @Test
  void returnsWhenAnotherTaskIsSubmitted() throws Exception {
    startBlocker();
    Future<?> scheduler = startWaitingScheduler();
    Thread.sleep(300);
    assertThat(scheduler.isDone(), is(false));
    pool.submit(() -> awaitRelease(new CountDownLatch(1)));
    assertThat(secondsOf(scheduler), lessThan(10.0));
  }

  @Test
  void returnsAtOnceWhenATaskFinishedSinceTheCountWasRead() throws Exception {
    startBlocker();
    long before = pool.events();
    pool.submit(() -> { }).get();
    assertThat(secondsOf(pool.submit(() -> pool.awaitWorkSince(before, LONG_WAIT))), lessThan(10.0));
  }

  @Test
  void givesUpAfterTheLongestWait() throws Exception {
    startBlocker();
    long start = System.nanoTime();
    pool.submit(() -> pool.awaitWorkSince(pool.events(), TimeUnit.MILLISECONDS.toNanos(200))).get(30, TimeUnit.SECONDS);
    assertThat(System.nanoTime() - start, greaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200)));
  }

  /** A task that runs until the test ends; returns once it is running. */
  private void startBlocker() throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    pool.submit(() -> awaitRelease(running));
    running.await();
  }

  /** A scheduler's wait for work (up to {@link #LONG_WAIT}), returned once it has read the count. */
  private Future<?> startWaitingScheduler() throws InterruptedException {
    CountDownLatch counted = new CountDownLatch(1);
    Future<?> scheduler = pool.submit(() -> {
      long before = pool.events();
      counted.countDown();
      pool.awaitWorkSince(before, LONG_WAIT);
    });
    counted.await();
    return scheduler;
  }

  private void awaitRelease(CountDownLatch running) {
    running.countDown();
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static double secondsOf(Future<?> task) throws Exception {
    long start = System.nanoTime();
    task.get(30, TimeUnit.SECONDS);
    return (System.nanoTime() - start) / 1e9;
  }
}
