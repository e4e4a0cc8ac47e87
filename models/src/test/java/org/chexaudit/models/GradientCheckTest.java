package org.chexaudit.models;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;

/** The graph's analytic gradients (what the accumulators receive) match central finite differences. */
class GradientCheckTest {
  private static final int SIZE = 16;
  private static final int N = 6;

  @Test
  void smallCnnGradientsMatchFiniteDifferences() {
    ModelSpec spec = ModelSpec.of(Architecture.SMALL_CNN, SIZE, Task.RACE);
    NetworkGraph.TrainingOptions opts = new NetworkGraph.TrainingOptions(true, true, 0.9f, 0.999f, 1e-8f);
    try (NetworkGraph g = NetworkGraph.training(spec, opts, 1)) {
      g.vars.write(g.session, g.vars.initialValues(3, s -> true));
      NetworkGraph.Objective o = g.objectives.get(0);
      Random rng = new Random(4);
      List<byte[]> images = new java.util.ArrayList<>();
      float[] targets = new float[N * 3];
      for (int i = 0; i < N; i++) {
        byte[] px = new byte[SIZE * SIZE];
        rng.nextBytes(px);
        images.add(px);
        targets[i * 3 + rng.nextInt(3)] = 1f;
      }
      float[] weights = {1, 2, 1, 1, 3, 1};
      // Gradient lands in the accumulators after one accumulateFirst run.
      run(g, o, images, targets, weights, true);
      Map<String, NamedArray> grads = g.vars.read(g.session, s -> s.group().equals("accumulator"));
      double eps = 1e-3; // small enough to rarely cross a ReLU kink, large against float32 rounding
      for (String name : List.of("classifier.weight", "classifier.bias", "features.conv2.weight",
          "features.norm1.weight", "features.norm0.bias", "features.conv0.weight")) {
        NamedArray p = g.vars.read(g.session, s -> s.name().equals(name)).get(name);
        float[] grad = grads.get("accumulator.race." + name).values();
        int k = argMaxAbs(grad);
        float[] plus = p.values().clone();
        plus[k] += eps;
        float[] minus = p.values().clone();
        minus[k] -= eps;
        g.vars.write(g.session, Map.of(name, new NamedArray(name, p.shape(), plus)));
        double lp = run(g, o, images, targets, weights, false);
        g.vars.write(g.session, Map.of(name, new NamedArray(name, p.shape(), minus)));
        double lm = run(g, o, images, targets, weights, false);
        g.vars.write(g.session, Map.of(name, p));
        double numeric = (lp - lm) / (2 * eps);
        assertThat(name + "[" + k + "]", numeric, closeTo(grad[k], 0.03 * Math.abs(grad[k]) + 1e-4));
      }
    }
  }

  private static int argMaxAbs(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (Math.abs(v[i]) > Math.abs(v[best])) {
        best = i;
      }
    }
    return best;
  }

  /** The training-mode loss; with {@code accumulate} also writes its gradient to the accumulators. */
  private static double run(NetworkGraph g, NetworkGraph.Objective o, List<byte[]> images, float[] targets,
      float[] weights, boolean accumulate) {
    try (Tensor im = Feeds.images(images, SIZE);
        Tensor t = Feeds.matrix(targets, N, 3);
        Tensor w = Feeds.vector(weights);
        Tensor n = TFloat32.scalarOf(9f)) {
      Session.Runner r = g.session.runner().feed(g.images, im).feed(o.targets, t).feed(o.weights, w)
          .feed(o.normaliser, n).fetch(o.loss);
      if (accumulate) {
        o.accumulateFirst.forEach(r::addTarget);
      }
      try (Result res = r.run()) {
        return ((TFloat32) res.get(0)).getFloat();
      }
    }
  }
}
