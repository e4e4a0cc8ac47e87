package org.chexaudit.models;

import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.chexaudit.schemas.ImageExample;
import org.tensorflow.TensorFlow;

/**
 * Device check run by {@code benchmarks/gpu-check.sh} (issue 17): which devices TensorFlow sees,
 * DenseNet-121 training and inference throughput on the chosen device, the implied GFLOP/s against an
 * assumed peak, and whether the chosen device's predictions agree with the CPU's for the same SavedModel.
 *
 * <pre>java -cp ... org.chexaudit.models.GpuCheck device images size batch epochs peakTflops</pre>
 *
 * FLOP counts follow issue 17: 2.87 GFLOP per forward pass of a 224x224 image (scaled by (size/224)^2),
 * training = 3 x forward. torchvision's 2.83 "GFLOPS" for DenseNet-121 counts multiply-adds, so with
 * two FLOPs per multiply-add every figure here doubles.
 */
public final class GpuCheck {
  static final double FORWARD_GFLOP_224 = 2.87;
  static final double TOLERANCE = 1e-3;

  private GpuCheck() {}

  public static void main(String[] args) throws Exception {
    TfDevice device = TfDevice.parse(args[0]);
    int n = Integer.parseInt(args[1]);
    int size = Integer.parseInt(args[2]);
    int batch = Integer.parseInt(args[3]);
    int epochs = Integer.parseInt(args[4]);
    double peakTflops = Double.parseDouble(args[5]);
    TfDevice cpu = TfDevice.parse("cpu");
    System.out.println("TensorFlow " + TensorFlow.version() + "; CUDA_VISIBLE_DEVICES="
        + System.getenv("CUDA_VISIBLE_DEVICES") + "; TF_DETERMINISTIC_OPS=" + System.getenv("TF_DETERMINISTIC_OPS"));
    List<String> seen = device.visibleDevices();
    System.out.println("devices TensorFlow sees for device=" + device + ":");
    seen.forEach(d -> System.out.println("  " + d));
    boolean onGpu = seen.stream().anyMatch(d -> d.startsWith("GPU"));
    if (device.toString().startsWith("gpu") && !onGpu) {
      throw new IllegalStateException("device " + device + " asked for but TensorFlow sees no GPU");
    }

    List<ImageExample> train = SyntheticImages.generate(n, size, 31, "t");
    List<ImageExample> val = SyntheticImages.generate(Math.max(batch, n / 4), size, 32, "v");
    Path dir = Files.createTempDirectory("gpu-check");
    TrainConfig c = TrainConfig.of(Task.DISEASE, Architecture.DENSENET121).withImageSize(size).withEpochs(epochs)
        .withBatchSize(batch);
    System.out.printf(Locale.ROOT, "training densenet121 %dx%d, batch %d, %d images, %d epochs on %s%n", size, size,
        batch, n, epochs, device);
    long t0 = System.nanoTime();
    Trainer.of(c).withDevice(device).withProgress(LoggerFactory.getLogger(Trainer.class)).train(train, val, dir);
    double trainWall = (System.nanoTime() - t0) / 1e9;
    List<String> log = Files.readAllLines(dir.resolve("training_log.csv"));
    String header = log.get(0);
    int col = List.of(header.split(",")).indexOf("images_per_s");
    // The last epoch: the first one also pays for graph optimisation and (on a GPU) cuDNN autotuning.
    double trainRate = Double.parseDouble(log.get(log.size() - 1).split(",")[col]);

    double inferRate;
    Scores onDevice;
    List<ImageExample> probe = train.subList(0, Math.min(64, n));
    try (Predictor p = Predictor.load(dir, batch, 0, device)) {
      p.predict(train.subList(0, Math.min(batch, n))); // warm-up
      long t1 = System.nanoTime();
      p.predict(train);
      inferRate = n / ((System.nanoTime() - t1) / 1e9);
      onDevice = p.predict(probe);
    }
    Scores onCpu;
    try (Predictor p = Predictor.load(dir, batch, 0, cpu)) {
      onCpu = p.predict(probe);
    }
    double probDiff = maxDiff(onDevice.probabilities(Head.DISEASE), onCpu.probabilities(Head.DISEASE));
    double logitDiff = maxDiff(onDevice.logits(Head.DISEASE), onCpu.logits(Head.DISEASE));
    double embDiff = maxDiff(onDevice.embeddings(), onCpu.embeddings());

    // What one prefetch thread can feed: reading + augmenting an image, as Trainer does per batch.
    ImageData data = ImageData.of(train, c.modelSpec(), Task.DISEASE.heads(), "train");
    long t2 = System.nanoTime();
    try (ImageData.Examples examples = data.inOrder()) {
      while (examples.hasNext()) {
        TrainingExample e = examples.next();
        e.augmented(data.size, data.input, c.regimen(), Augmenter.random(c.seed(), 1, e.augmentationKey()));
      }
    }
    double prepMs = (System.nanoTime() - t2) / 1e6 / data.count();
    System.out.printf(Locale.ROOT, "input preparation (augmentation) on one thread: %.2f ms per image, at most %.0f"
        + " images/s from the one prefetch thread%n", prepMs, 1000 / prepMs);

    double scale = Math.pow(size / 224.0, 2);
    double trainGflops = trainRate * FORWARD_GFLOP_224 * 3 * scale;
    double inferGflops = inferRate * FORWARD_GFLOP_224 * scale;
    System.out.printf(Locale.ROOT, "train: %.2f images/s (last epoch), %.1f GFLOP/s = %.3g%% of %.1f TFLOP/s peak;"
        + " whole train() incl. start-up and export %.1f s%n", trainRate, trainGflops,
        100 * trainGflops / (peakTflops * 1000), peakTflops, trainWall);
    System.out.printf(Locale.ROOT, "inference: %.2f images/s, %.1f GFLOP/s = %.3g%% of peak%n", inferRate,
        inferGflops, 100 * inferGflops / (peakTflops * 1000));
    System.out.printf(Locale.ROOT, "%s vs cpu on %d images: max |diff| probabilities %.3g, logits %.3g,"
        + " embeddings %.3g (tolerance %.0e on probabilities)%n", device, probe.size(), probDiff, logitDiff, embDiff,
        TOLERANCE);
    boolean agree = probDiff <= TOLERANCE;
    System.out.printf(Locale.ROOT, "GPU-CHECK %s device=%s gpu_seen=%s size=%d batch=%d train_img_s=%.2f"
        + " infer_img_s=%.2f train_gflop_s=%.1f infer_gflop_s=%.1f train_pct_peak=%.3g infer_pct_peak=%.3g"
        + " peak_tflop_s=%.1f prep_ms_per_image=%.2f max_prob_diff_vs_cpu=%.3g%n", agree ? "PASS" : "FAIL", device,
        onGpu, size, batch, trainRate, inferRate, trainGflops, inferGflops, 100 * trainGflops / (peakTflops * 1000),
        100 * inferGflops / (peakTflops * 1000), peakTflops, prepMs, probDiff);
    if (!agree) {
      System.exit(2);
    }
  }

  private static double maxDiff(float[][] a, float[][] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
      }
    }
    return m;
  }
}
