package org.chexaudit.models;

import java.io.PrintStream;
import java.util.Locale;

/** Progress lines with throughput and ETA, at most one every few seconds. */
final class Progress {
  private final PrintStream out;
  private final String label;
  private final long totalBatches;
  private final long intervalNanos;
  private long started;
  private long doneBatches;
  private long images;
  private long lastPrint;

  Progress(PrintStream out, String label, long totalBatches, double intervalSeconds) {
    this.out = out;
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
    if (out == null || (now - lastPrint < intervalNanos && batch != batches)) {
      return;
    }
    lastPrint = now;
    double seconds = (now - started) / 1e9;
    double eta = seconds / doneBatches * (totalBatches - doneBatches);
    out.printf(Locale.ROOT, "[%s] epoch %d/%d batch %d/%d loss %.4f %.1f img/s ETA %s%n", label, epoch, epochs,
        batch, batches, runningLoss, images / Math.max(seconds, 1e-9), hms(eta));
  }

  void message(String text) {
    if (out != null) {
      out.println("[" + label + "] " + text);
    }
  }

  static String hms(double seconds) {
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
