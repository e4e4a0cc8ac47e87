package org.chexaudit.pipelines;

import org.chexaudit.pipelines.cli.Cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.options.PreprocessOptions;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.TrustedSchemas;
import org.chexaudit.core.image.GreyDecoder;
import org.chexaudit.core.image.GreyImage;
import org.chexaudit.core.image.ImageDecodeException;
import org.chexaudit.core.image.ImageDecoder;
import org.chexaudit.core.image.JpegEncoder;
import org.chexaudit.core.image.Resizer;

/**
 * Benchmark behind benchmarks/preprocess-benchmark.sh: writes {@code count} full-size-like greyscale
 * JPEGs (2,320 x 2,828, smooth shapes plus noise, about the entropy of a radiograph) and a cohort Avro
 * naming them, times plain decode and resize on one thread, then runs the preprocess command with
 * {@code --targetParallelism} 1 and 2 on the Direct runner (and, when asked, on embedded Flink) and
 * prints images/s.
 *
 * <p>Arguments: work folder, image count (default 400; 0: none), runs (default 1,2: the Direct runner with 1 and
 * 2 workers; {@code flink:N} for embedded Flink at parallelism N, e.g. {@code 1,2,flink:1,flink:2}), small
 * image count (default 0: none; 320 x 390 JPEGs, CheXpert-small's size, run the same ways). Each run prints
 * images/s, the process CPU it took and the load average; the end compares them with issue 15's goals.
 */
public final class PreprocessBenchmark {
  static final int WIDTH = 2320;
  static final int HEIGHT = 2828;
  static final int DISTINCT = 8;
  /** The preprocess runs' --decoder (system property {@code decoder}, default jdk). */
  static final String DECODER = System.getProperty("decoder", "jdk");
  /** The small JPEGs' size: CheXpert-v1.0-small's (320 x 390). */
  static final int SMALL_WIDTH = 320;
  static final int SMALL_HEIGHT = 390;

  private PreprocessBenchmark() {}

  public static void main(String[] args) throws Exception {
    TrustedSchemas.install();
    Path work = Paths.get(args.length > 0 ? args[0] : "target/preprocess-benchmark");
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 400;
    String[] runs = (args.length > 2 ? args[2] : "1,2").split(",");
    int smallCount = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    List<String> summary = new ArrayList<>();
    if (count > 0) {
      Path root = work.resolve("data");
      Path cohort = work.resolve("cohort");
      List<Path> files = writeImages(root, count);
      writeCohort(cohort, count);
      System.out.printf("images: %d files of %dx%d, %.0f KB each on average%n", count, WIDTH, HEIGHT,
          files.stream().mapToLong(PreprocessBenchmark::size).average().orElse(0) / 1024);
      summary.add(timeSingleThread(files.subList(0, Math.min(DISTINCT, files.size()))));
      summary.addAll(timeEntropyDecodingFloor(files.subList(0, Math.min(DISTINCT, files.size()))));
      // one untimed run per runner first, so that no timed run pays for loading Beam's (and Flink's) classes
      // and compiling their code: without it the first Flink run took 26-29 s where later ones take 20 s
      warmUp(work, cohort, root, runs, count);
      RATES.clear();
      CPU_MS.clear();
      for (String run : runs) {
        summary.add(runPreprocess(work, "full", cohort, root, run, count));
      }
    }
    if (smallCount > 0) {
      Path root = work.resolve("small-data");
      Path cohort = work.resolve("small-cohort");
      writeImages(root, smallCount, SMALL_WIDTH, SMALL_HEIGHT);
      writeCohort(cohort, smallCount);
      if (count == 0) {
        // the same untimed warm-up as above when only small images are run
        warmUp(work, cohort, root, runs, smallCount);
        RATES.clear();
        CPU_MS.clear();
      }
      for (String run : runs) {
        summary.add(runPreprocess(work, "small", cohort, root, run, smallCount));
      }
    }
    summary.addAll(goals());
    System.out.println();
    summary.forEach(System.out::println);
  }

  /** An untimed two-worker run on each runner that {@code runs} use. */
  private static void warmUp(Path work, Path cohort, Path root, String[] runs, int count) throws Exception {
    runPreprocess(work, "warm-up", cohort, root, "2", count);
    if (Arrays.stream(runs).anyMatch(r -> r.startsWith("flink:"))) {
      runPreprocess(work, "warm-up", cohort, root, "flink:2", count);
    }
  }

  /** One preprocess command run: "2" or "direct:2" for the Direct runner, "flink:2" for embedded Flink. */
  private static String runPreprocess(Path work, String set, Path cohort, Path root, String run, int count) {
    String[] parts = run.trim().split(":");
    boolean flink = parts.length == 2 && parts[0].equals("flink");
    String par = parts[parts.length - 1];
    String[] runnerArgs = flink
        ? new String[] {"--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=" + par}
        : new String[] {"--targetParallelism=" + par};
    // the command's own defaults (Cli turns the Direct runner's element checks off)
    PreprocessOptions o = PipelineOptionsFactory.fromArgs(Cli.withRunnerDefaults(runnerArgs))
        .as(PreprocessOptions.class);
    o.setCohort(cohort.toString());
    o.setImageRoot(root.toString());
    o.setOutput(work.resolve("out-" + set + "-" + (flink ? "flink" : "direct") + "-p" + par).toString());
    o.setOverwrite(true);
    o.setDecoder(DECODER);
    String load = loadAverage();
    long c0 = processCpuNanos();
    long t0 = System.nanoTime();
    PreprocessPipeline.run(o);
    double s = (System.nanoTime() - t0) / 1e9;
    double cpu = (processCpuNanos() - c0) / 1e9;
    String line = String.format(java.util.Locale.ROOT,
        "preprocess %s %-13s workers %s: %d images in %.1f s = %.1f images/s, process CPU %.1f s"
            + " (whole pipeline incl. start-up and Avro writing; load %s)",
        set, flink ? "flink[local]" : "direct", par, count, s, count / s, cpu, load);
    System.out.println(line);
    RATES.put(set + " " + (flink ? "flink" : "direct") + " " + par, count / s);
    CPU_MS.put(set + " " + (flink ? "flink" : "direct") + " " + par, cpu * 1000 / count);
    return line;
  }

  /** The goals against this run's figures (issue 15). */
  private static List<String> goals() {
    List<String> lines = new ArrayList<>();
    double floor2 = floorMsPerImage > 0 ? 2 * 1000 / floorMsPerImage : Double.NaN;
    Double full2 = RATES.get("full direct 2");
    if (full2 != null && floorMsPerImage > 0) {
      lines.add(String.format(java.util.Locale.ROOT,
          "goal >= 80%% of the 2-core floor (%.1f images/s): direct 2 workers %.1f images/s = %.0f%%", floor2, full2,
          100 * full2 / floor2));
      lines.add(String.format(java.util.Locale.ROOT,
          "  in CPU (load-independent): floor %.1f ms per image, direct 2 workers %.1f ms per image = %.0f%%",
          floorCpuMsPerImage, CPU_MS.get("full direct 2"), 100 * floorCpuMsPerImage / CPU_MS.get("full direct 2")));
    }
    for (String set : new String[] {"full", "small"}) {
      for (String runner : new String[] {"direct", "flink"}) {
        Double one = RATES.get(set + " " + runner + " 1");
        Double two = RATES.get(set + " " + runner + " 2");
        if (one != null && two != null) {
          lines.add(String.format(java.util.Locale.ROOT, "goal >= 1.8x from 1 to 2 workers: %s %s %.2fx", set, runner,
              two / one));
        }
      }
    }
    RATES.forEach((k, v) -> {
      if (k.startsWith("small") && k.endsWith(" 2")) {
        lines.add(String.format(java.util.Locale.ROOT, "goal >= 200 small images/s: %s %.1f images/s = %.0f%%;"
            + " CPU %.2f ms per image, i.e. %.0f images/s if it had both cores to itself", k, v, v / 2, CPU_MS.get(k),
            2000 / CPU_MS.get(k)));
      }
    });
    return lines;
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** The machine's 1-, 5- and 15-minute load averages ({@code /proc/loadavg}), or "?" where there is none. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Paths.get("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** ms per image (decode + resize, one thread) of the last {@link #timeSingleThread} call: wall, CPU. */
  private static double floorMsPerImage;
  private static double floorCpuMsPerImage;
  /** process CPU ms per image of each run, keyed like {@link #RATES}. */
  private static final java.util.Map<String, Double> CPU_MS = new java.util.LinkedHashMap<>();
  /** images/s of each run, by "set runner workers" (e.g. "full direct 2"). */
  private static final java.util.Map<String, Double> RATES = new java.util.LinkedHashMap<>();

  /**
   * Decode (with the runs' decoder) and resize timed separately, one image at a time, after a warm-up
   * pass: wall time and process CPU time (TensorFlow decodes on its own thread), the floor the command is
   * measured against.
   */
  private static String timeSingleThread(List<Path> files) throws IOException, ImageDecodeException {
    try (GreyDecoder decoder = PreprocessPipeline.decoder(decoderOptions()).open()) {
      for (Path f : files) {
        Resizer.resizeToUint8(decoder.decode(Files.readAllBytes(f)), 224, 224);
      }
      long decode = 0;
      long resize = 0;
      long decodeCpu = 0;
      long resizeCpu = 0;
      int n = 0;
      for (int round = 0; round < 2; round++) {
        for (Path f : files) {
          byte[] data = Files.readAllBytes(f);
          long c0 = processCpuNanos();
          long t0 = System.nanoTime();
          GreyImage img = decoder.decode(data);
          long t1 = System.nanoTime();
          long c1 = processCpuNanos();
          Resizer.resizeToUint8(img, 224, 224);
          long t2 = System.nanoTime();
          long c2 = processCpuNanos();
          decode += t1 - t0;
          resize += t2 - t1;
          decodeCpu += c1 - c0;
          resizeCpu += c2 - c1;
          n++;
        }
      }
      floorMsPerImage = (decode + resize) / 1e6 / n;
      floorCpuMsPerImage = (decodeCpu + resizeCpu) / 1e6 / n;
      String line = String.format(java.util.Locale.ROOT,
          "floor, one image at a time, no Beam: decode (%s) %.1f ms + resize %.1f ms per image per core = %.1f"
              + " images/s per core, %.1f on 2 cores; CPU %.1f + %.1f ms (load %s)",
          decoder.name(), decode / 1e6 / n, resize / 1e6 / n, 1000 / floorMsPerImage, 2000 / floorMsPerImage,
          decodeCpu / 1e6 / n, resizeCpu / 1e6 / n, loadAverage());
      System.out.println(line);
      return line;
    }
  }

  private static PreprocessOptions decoderOptions() {
    PreprocessOptions o = PipelineOptionsFactory.as(PreprocessOptions.class);
    o.setDecoder(DECODER);
    return o;
  }

  /**
   * What any JPEG decoder of these files costs at least, from libjpeg-turbo (TensorFlow's DecodeJpeg,
   * accurate integer IDCT, same pixels as the JDK's libjpeg): a full decode, and one at 1/8 scale, which
   * still entropy-decodes every coefficient but skips nearly all of the inverse DCT. Process CPU time
   * per image (TensorFlow runs the op on its own thread), one image at a time.
   */
  private static List<String> timeEntropyDecodingFloor(List<Path> files) throws IOException {
    List<String> lines = new ArrayList<>();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    org.tensorflow.proto.ConfigProto single = org.tensorflow.proto.ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(1).setInterOpParallelismThreads(1).build();
    List<byte[]> data = new ArrayList<>();
    for (Path f : files) {
      data.add(Files.readAllBytes(f));
    }
    for (long ratio : new long[] {1, 8}) {
      try (org.tensorflow.Graph g = new org.tensorflow.Graph();
          org.tensorflow.Session session = new org.tensorflow.Session(g, single)) {
        org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(g);
        org.tensorflow.op.core.Placeholder<org.tensorflow.types.TString> in =
            tf.placeholder(org.tensorflow.types.TString.class);
        org.tensorflow.op.image.DecodeJpeg decode = tf.image.decodeJpeg(in,
            org.tensorflow.op.image.DecodeJpeg.channels(1L),
            org.tensorflow.op.image.DecodeJpeg.dctMethod("INTEGER_ACCURATE"),
            org.tensorflow.op.image.DecodeJpeg.ratio(ratio));
        long cpu = 0;
        int n = 0;
        for (int round = 0; round < 3; round++) {
          for (byte[] d : data) {
            long c0 = os.getProcessCpuTime();
            try (org.tensorflow.types.TString t = org.tensorflow.types.TString.tensorOfBytes(
                    org.tensorflow.ndarray.NdArrays.scalarOfObject(d));
                org.tensorflow.Result r = session.runner().feed(in, t).fetch(decode).run()) {
              r.get(0);
            }
            if (round > 0) {
              cpu += os.getProcessCpuTime() - c0;
              n++;
            }
          }
        }
        String line = String.format(java.util.Locale.ROOT,
            "libjpeg-turbo (TensorFlow DecodeJpeg) at 1/%d scale: %.1f ms CPU per image%s", ratio, cpu / 1e6 / n,
            ratio == 8 ? " (entropy decoding, nearly no IDCT: the floor for any decoder of these files)" : "");
        System.out.println(line);
        lines.add(line);
      }
    }
    return lines;
  }

  private static List<Path> writeImages(Path root, int count) throws IOException {
    return writeImages(root, count, WIDTH, HEIGHT);
  }

  static List<Path> writeImages(Path root, int count, int width, int height) throws IOException {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Path f = root.resolve(path(i));
      files.add(f);
      if (Files.isRegularFile(f)) {
        continue;
      }
      Files.createDirectories(f.getParent());
      if (i < DISTINCT) {
        Files.write(f, JpegEncoder.encode(radiographLike(i, width, height), width, height, 0.95f));
      } else {
        Files.copy(files.get(i % DISTINCT), f, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return files;
  }

  /** Smooth large-scale structure plus pixel noise, so the JPEG is neither trivial nor pure noise. */
  private static byte[] radiographLike(long seed, int width, int height) {
    Random rnd = new Random(seed);
    double fx = 2 + rnd.nextDouble() * 3;
    double fy = 2 + rnd.nextDouble() * 3;
    byte[] px = new byte[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double v = 128 + 60 * Math.sin(fx * Math.PI * x / width) * Math.cos(fy * Math.PI * y / height)
            + 20 * Math.sin(x * 0.05 + y * 0.03) + rnd.nextGaussian() * 6;
        px[y * width + x] = (byte) Math.max(0, Math.min(255, (int) v));
      }
    }
    return px;
  }

  static String path(int i) {
    return String.format("CheXpert-v1.0/train/patient%05d/study1/view1_frontal.jpg", i + 1);
  }

  private static void writeCohort(Path cohort, int count) throws IOException {
    Files.createDirectories(cohort.resolve("cohort"));
    try (DataFileWriter<CohortRecord> w = new DataFileWriter<>(new SpecificDatumWriter<>(CohortRecord.class))) {
      w.create(CohortRecord.getClassSchema(), cohort.resolve("cohort/part-00000.avro").toFile());
      for (int i = 0; i < count; i++) {
        String patient = String.format("patient%05d", i + 1);
        Map<String, String> attrs = new HashMap<>();
        w.append(CohortRecord.newBuilder()
            .setId(patient + "_study1_view1_frontal").setRowIndex(i).setPatientId(patient).setPath(path(i))
            .setPathPreproc("preproc_224x224/" + patient + "_study1_view1_frontal.jpg")
            .setLabels(new ArrayList<>()).setDisease("Other").setDiseaseLabel(2)
            .setSplit(i % 10 < 6 ? "train" : i % 10 < 7 ? "validate" : "test").setAttributes(attrs).build());
      }
    }
  }
}
