package org.chexaudit.models;

import java.util.Locale;
import org.slf4j.Logger;

/** Progress lines with throughput and ETA, at most one every few seconds. */
final class Progress {
  private final Logger log;
  private final String label;
  private final long totalBatches;
  private final long intervalNanos;
  private long started;
  private long doneBatches;
  private long images;
  private long lastPrint;

  Progress(Logger log, String label, long totalBatches, double intervalSeconds) {
    this.log = log;
    this.label = label;
    this.totalBatches = totalBatches;
    this.intervalNanos = (long) (intervalSeconds * 1e9);
    this.started = System.nanoTime();
    this.lastPrint = started;
  }

  void batchDone(int epoch, int epochs, int batch, int batches, int batchImages, double runningLoss) {
    doneBatches++;
    images += batchImages;
    long now = System.nanoTime();
    if (log == null || !log.isInfoEnabled() || (now - lastPrint < intervalNanos && batch != batches)) {
      return;
    }
    lastPrint = now;
    double seconds = (now - started) / 1e9;
    double eta = seconds / doneBatches * (totalBatches - doneBatches);
    log.info(String.format(Locale.ROOT, "[%s] epoch %d/%d batch %d/%d loss %.4f %.1f img/s ETA %s", label, epoch,
        epochs, batch, batches, runningLoss, images / Math.max(seconds, 1e-9), hms(eta)));
  }

  void message(String text) {
    if (log != null) {
      log.info("[{}] {}", label, text);
    }
  }

  static String hms(double seconds) {
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
