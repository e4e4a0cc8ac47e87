package org.chexaudit.models;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Throughput benchmark, run by {@code benchmarks/models-benchmark.sh} (skipped in normal builds).
 * Prints, per architecture, training and inference images/s, peak resident memory, and achieved
 * GFLOP/s against a matmul measured in the same JVM. FLOPs = 2 x multiply-adds; forward MACs per
 * 224x224 image from torchvision's model docs (DenseNet-121 2.83 G, ResNet-34 3.66 G), scaled by
 * (size/224)^2; training counted as 3x forward.
 */
@EnabledIfSystemProperty(named = "chexaudit.benchmark", matches = "true")
class ModelsBenchmark {
  private static final int SIZE = Integer.getInteger("bench.size", 224);
  private static final int BATCH = Integer.getInteger("bench.batch", 16);
  private static final int ITERS = Integer.getInteger("bench.iters", 3);
  private static final String ARCHS = System.getProperty("bench.archs", "densenet121,resnet34,small_cnn");

  @Test
  void benchmark() throws Exception {
    double matmul = matmulGflops(2048, 5);
    System.out.printf(Locale.ROOT, "device: %s; image %dx%d, batch %d, %d timed iterations%n",
        System.getProperty("bench.device", "cpu (TensorFlow picks a GPU when the -Pgpu natives see one)"), SIZE, SIZE, BATCH, ITERS);
    System.out.printf(Locale.ROOT, "matmul 2048x2048 fp32: %.1f GFLOP/s%n", matmul);
    System.out.println("arch,train_img_per_s,infer_img_per_s,train_gflop_s,train_pct_of_matmul,infer_gflop_s,infer_pct_of_matmul,peak_rss_mib");
    for (String a : ARCHS.split(",")) {
      Architecture arch = Architecture.parse(a);
      double[] r = run(arch);
      double macs = macsPerImage(arch) * Math.pow(SIZE / 224.0, 2);
      double trainG = r[0] * macs * 2 * 3 / 1e9;
      double inferG = r[1] * macs * 2 / 1e9;
      System.out.printf(Locale.ROOT, "%s,%.2f,%.2f,%s,%s,%s,%s,%d%n", a, r[0], r[1],
          macs > 0 ? fmt(trainG) : "n/a", macs > 0 ? fmt(100 * trainG / matmul) : "n/a",
          macs > 0 ? fmt(inferG) : "n/a", macs > 0 ? fmt(100 * inferG / matmul) : "n/a", peakRssMib());
    }
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static double macsPerImage(Architecture a) {
    switch (a) {
      case DENSENET121: return 2.834e9;
      case RESNET34: return 3.664e9;
      default: return 0;
    }
  }

  /** {train images/s, inference images/s} for one architecture. */
  private static double[] run(Architecture arch) {
    ModelSpec spec = ModelSpec.of(arch, SIZE, Task.DISEASE);
    NetworkGraph.TrainingOptions opts = new NetworkGraph.TrainingOptions(true, true, 0.9f, 0.999f, 1e-8f);
    try (NetworkGraph g = NetworkGraph.training(spec, opts, 0)) {
      g.vars.write(g.session, g.vars.initialValues(1, s -> true));
      NetworkGraph.Objective o = g.objectives.get(0);
      Random rng = new Random(1);
      List<byte[]> images = new ArrayList<>();
      for (int i = 0; i < BATCH; i++) {
        byte[] px = new byte[SIZE * SIZE];
        rng.nextBytes(px);
        images.add(px);
      }
      float[] targets = new float[BATCH * 14];
      float[] weights = new float[BATCH];
      java.util.Arrays.fill(weights, 1f);
      try (Tensor im = Feeds.images(images, SIZE); Tensor t = Feeds.matrix(targets, BATCH, 14);
          Tensor w = Feeds.vector(weights); Tensor n = TFloat32.scalarOf(BATCH * 14f);
          Tensor lr = TFloat32.scalarOf(1e-3f); Tensor vc = TFloat32.scalarOf(0.03f)) {
        Runnable train = () -> {
          Session.Runner r = g.session.runner().feed(g.images, im).feed(o.targets, t).feed(o.weights, w)
              .feed(o.normaliser, n).fetch(o.loss);
          o.accumulateFirst.forEach(r::addTarget);
          g.bnUpdates.forEach(r::addTarget);
          r.run().close();
          Session.Runner a = g.session.runner().feed(g.lrCorrected, lr).feed(g.varianceCorrection, vc);
          o.apply.forEach(a::addTarget);
          a.run().close();
        };
        Runnable infer = () -> g.session.runner().feed(g.images, im).fetch(g.probabilities.get(Head.DISEASE))
            .fetch(g.embeddings).run().close();
        return new double[] {imagesPerSecond(train), imagesPerSecond(infer)};
      }
    }
  }

  private static double imagesPerSecond(Runnable step) {
    step.run(); // warm-up: graph optimisation, allocations, autotuning
    long t0 = System.nanoTime();
    for (int i = 0; i < ITERS; i++) {
      step.run();
    }
    return (double) BATCH * ITERS / ((System.nanoTime() - t0) / 1e9);
  }

  private static double matmulGflops(int n, int iters) {
    try (Graph graph = new Graph(); Session s = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> a = tf.random.randomUniform(tf.constant(new int[] {n, n}), TFloat32.class);
      Operand<TFloat32> b = tf.random.randomUniform(tf.constant(new int[] {n, n}), TFloat32.class);
      Operand<TFloat32> va = tf.variable(a);
      Operand<TFloat32> vb = tf.variable(b);
      Operand<TFloat32> c = tf.sum(tf.linalg.matMul(va, vb), tf.constant(new int[] {0, 1}));
      s.initialize();
      try (Result r = s.runner().fetch(c).run()) {
        // warm-up
      }
      long t0 = System.nanoTime();
      for (int i = 0; i < iters; i++) {
        s.runner().fetch(c).run().close();
      }
      return 2.0 * n * n * n * iters / ((System.nanoTime() - t0) / 1e9) / 1e9;
    }
  }

  private static long peakRssMib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (java.io.IOException e) {
      return -1;
    }
    return -1;
  }
}
