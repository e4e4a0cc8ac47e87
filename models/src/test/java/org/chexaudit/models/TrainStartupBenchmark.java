package org.chexaudit.models;

import java.io.OutputStream;
import java.io.PrintStream;
import org.slf4j.LoggerFactory;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.chexaudit.schemas.ImageExample;

/**
 * Start-up benchmark (issue 15), run by {@code benchmarks/models-benchmark.sh --startup}: one-epoch
 * training of a generated data set in a fresh JVM, each progress line stamped with the seconds since
 * the JVM started, then time to the first training step and total time.
 *
 * <pre>java -cp ... org.chexaudit.models.TrainStartupBenchmark [arch] [images] [size] [batch] [outDir]</pre>
 */
public final class TrainStartupBenchmark {
  private TrainStartupBenchmark() {}

  public static void main(String[] args) throws Exception {
    // the trainer's progress lines go through SLF4J: slf4j-simple is sent to System.out (stamped below) before
    // anything creates a logger, since it reads its settings once, then writes to stderr
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.out");
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    Architecture arch = Architecture.parse(args.length > 0 ? args[0] : "densenet121");
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 48;
    int size = args.length > 2 ? Integer.parseInt(args[2]) : 64;
    int batch = args.length > 3 ? Integer.parseInt(args[3]) : 16;
    Path out = args.length > 4 ? Path.of(args[4]) : Files.createTempDirectory("startup-bench");
    double[] firstStep = {Double.NaN};
    PrintStream realOut = System.out;
    PrintStream stamped = new PrintStream(new OutputStream() {
      private final StringBuilder line = new StringBuilder();

      @Override
      public void write(int b) {
        if (b != '\n') {
          line.append((char) b);
          return;
        }
        double t = (System.currentTimeMillis() - jvmStart) / 1000.0;
        if (line.indexOf("first step done") >= 0 && Double.isNaN(firstStep[0])) {
          firstStep[0] = t;
        }
        realOut.printf(Locale.ROOT, "%7.1fs %s%n", t, line);
        line.setLength(0);
      }
    }, true, StandardCharsets.ISO_8859_1);
    List<ImageExample> train = SyntheticImages.generate(n, size, 1, "t");
    List<ImageExample> val = SyntheticImages.generate(Math.max(batch, n / 4), size, 2, "v");
    TrainConfig c = TrainConfig.of(Task.DISEASE, arch).withImageSize(size).withEpochs(1).withBatchSize(batch);
    stamped.println("training " + arch.name().toLowerCase(Locale.ROOT) + ": " + n + " images of " + size + "x" + size
        + ", batch " + batch + ", 1 epoch, into " + out);
    System.setOut(stamped);
    Trainer.of(c).withProgress(LoggerFactory.getLogger(Trainer.class)).train(train, val, out);
    System.setOut(realOut);
    double total = (System.currentTimeMillis() - jvmStart) / 1000.0;
    System.out.printf(Locale.ROOT, "RESULT arch=%s images=%d size=%d batch=%d time_to_first_step_s=%.1f total_s=%.1f%n",
        arch.name().toLowerCase(Locale.ROOT), n, size, batch, firstStep[0], total);
  }
}
