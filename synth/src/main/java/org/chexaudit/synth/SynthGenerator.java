package org.chexaudit.synth;

import org.chexaudit.core.image.JpegEncoder;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a CheXpert-format folder: {@code CheXpert-v1.0/train.csv}, {@code CHEXPERT DEMO.xlsx} and,
 * on request, the JPEGs under {@code CheXpert-v1.0/train/}. Every file is a function of the config
 * alone; images can be written by any number of threads with the same bytes.
 */
public final class SynthGenerator {
  /** Told about image progress now and then. */
  public interface Progress {
    void report(long imagesDone, long imagesTotal, double imagesPerSecond);
  }

  /** What was written. */
  public record TableCounts(long trainRows, int trainPatients, int demoRows, int demoOnlyPatients,
      int missingFromDemo) {}

  private final SynthConfig config;
  private final CohortPlan plan;
  private final PatientGenerator patients;
  private final ChestImagePainter painter;

  public SynthGenerator(SynthConfig config) {
    this.config = config;
    this.plan = CohortPlan.of(config);
    this.patients = new PatientGenerator(config, plan);
    this.painter = new ChestImagePainter(config);
  }

  public SynthConfig config() {
    return config;
  }

  public CohortPlan plan() {
    return plan;
  }

  public Patient patient(int index) {
    return patients.patient(index);
  }

  public ChestImagePainter painter() {
    return painter;
  }

  /** Writes train.csv and the demographics spreadsheet under {@code root}. */
  public TableCounts writeTables(Path root) throws IOException {
    Path csv = root.resolve(ChexpertFormat.TRAIN_CSV);
    Files.createDirectories(csv.getParent());
    long rows;
    int missing = 0;
    try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      TrainCsvWriter writer = new TrainCsvWriter(w);
      for (int i = 1; i <= plan.trainPatients(); i++) {
        writer.write(patients.patient(i));
        if (!plan.inDemo(i)) {
          missing++;
        }
      }
      rows = writer.rows();
    }
    int demoRows;
    try (DemoXlsxWriter xlsx = new DemoXlsxWriter();
        OutputStream out = Files.newOutputStream(root.resolve(ChexpertFormat.DEMO_XLSX))) {
      for (int i : plan.demoOrder()) {
        xlsx.write(patients.patient(i, false));
      }
      demoRows = xlsx.rows();
      xlsx.finish(out);
    }
    return new TableCounts(rows, plan.trainPatients(), demoRows, plan.demoOnlyPatients(), missing);
  }

  /** Paints and writes every image of train.csv under {@code root}; returns the image count. */
  public long writeImages(Path root, int threads, Progress progress) throws IOException {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    long total = plan.totalImages();
    AtomicInteger nextPatient = new AtomicInteger(1);
    AtomicLong done = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "synth-images");
      t.setDaemon(true);
      return t;
    });
    long start = System.nanoTime();
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(pool.submit(() -> {
          int i;
          while ((i = nextPatient.getAndIncrement()) <= plan.trainPatients()) {
            done.addAndGet(writePatientImages(root, patients.patient(i)));
          }
          return null;
        }));
      }
      pool.shutdown();
      while (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
        report(progress, done.get(), total, start);
      }
      for (Future<?> f : workers) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while writing images", e);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException("image writing failed: " + cause, cause);
    } finally {
      pool.shutdownNow();
    }
    report(progress, done.get(), total, start);
    return done.get();
  }

  private static void report(Progress progress, long done, long total, long start) {
    if (progress != null) {
      double seconds = (System.nanoTime() - start) / 1e9;
      progress.report(done, total, seconds > 0 ? done / seconds : 0);
    }
  }

  private int writePatientImages(Path root, Patient p) throws IOException {
    int n = 0;
    for (Study s : p.studies()) {
      Path dir = null;
      for (View v : s.views()) {
        Path file = root.resolve(v.path());
        if (dir == null) {
          dir = file.getParent();
          Files.createDirectories(dir);
        }
        byte[] grey = painter.paint(ImageSpec.of(p, s, v));
        Files.write(file, JpegEncoder.encodePercent(grey, v.width(), v.height(), config.jpegQuality()));
        n++;
      }
    }
    return n;
  }
}
