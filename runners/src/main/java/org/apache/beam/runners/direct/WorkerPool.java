package org.apache.beam.runners.direct;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Direct runner's worker threads, with a way for its scheduler to wait for a bundle to finish instead
 * of spinning (chexaudit's; apache/beam#18070, open since 2016).
 *
 * <p>Beam's {@code ExecutorServiceParallelExecutor} submits its scheduler, the {@code QuiescenceDriver},
 * back to this pool as soon as a pass returns. Whenever fewer bundles are ready than there are workers, a
 * free worker runs pass after pass: each visits every step's watermarks and timers and allocates as it
 * goes. In a CheXpert-size {@code cohort} run those passes allocated about half of all the garbage and took
 * 12 % of the CPU samples, on a two-core machine where the bundles still running, the collector and the
 * compiler want that core. In a bounded pipeline a pass has nothing new to do until a bundle finishes or a
 * task is submitted, so chexaudit's copy of the executor waits here for either, up to a bound that keeps
 * processing-time timers firing.
 *
 * <p>A fixed pool of {@code threads} workers, like {@code Executors.newFixedThreadPool}.
 */
final class WorkerPool extends ThreadPoolExecutor {
  /** Tasks finished or submitted so far: a change means the scheduler may have something to do. */
  private final AtomicLong events = new AtomicLong();

  WorkerPool(int threads, ThreadFactory threadFactory) {
    super(threads, threads, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), threadFactory);
  }

  /** A count to pass to {@link #awaitWorkSince}, read before the scheduler's pass. */
  long events() {
    return events.get();
  }

  @Override
  public void execute(Runnable task) {
    // counted first: a task that reads the count as it starts must not then see its own submission
    events.incrementAndGet();
    super.execute(task);
    wakeWaiter();
  }

  @Override
  protected void afterExecute(Runnable task, Throwable thrown) {
    super.afterExecute(task, thrown);
    events.incrementAndGet();
    wakeWaiter();
  }

  private void wakeWaiter() {
    synchronized (events) {
      events.notifyAll();
    }
  }

  /**
   * Called by a task of this pool (the scheduler): returns once a task has finished or been submitted since
   * {@code eventsBefore} was read, or after {@code maxWaitNanos}. Returns at once when no other task is
   * running (nothing could finish) or a task is waiting for a thread.
   */
  void awaitWorkSince(long eventsBefore, long maxWaitNanos) {
    if (getActiveCount() <= 1 || !getQueue().isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + maxWaitNanos;
    synchronized (events) {
      while (events.get() == eventsBefore) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(events, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
