package org.chexaudit.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** BatchNorm matches PyTorch: running stats with momentum 0.1 and unbiased variance; eval uses them. */
class BatchNormTest {
  private static final int N = 3, H = 2, W = 2, C = 2;

  @Test
  void runningStatisticsAndInferenceMatchHandComputation() {
    float[] x = new float[N * H * W * C];
    Random rng = new Random(1);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rng.nextGaussian() * 3 + 2);
    }
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      ModelVariables vars = new ModelVariables(tf);
      Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(N, H, W, C)));
      LayerBuilder train = new LayerBuilder(tf, vars, true, VariableSpec.Init.HE_NORMAL_FAN_IN);
      Operand<TFloat32> trainOut = train.batchNorm("bn", in);
      LayerBuilder eval = new LayerBuilder(tf, vars, false, VariableSpec.Init.HE_NORMAL_FAN_IN);
      Operand<TFloat32> evalOut = eval.batchNorm("bn", in);
      vars.write(session, Map.of(
          "bn.weight", new NamedArray("bn.weight", new long[] {C}, new float[] {1.5f, 0.5f}),
          "bn.bias", new NamedArray("bn.bias", new long[] {C}, new float[] {0.1f, -0.2f}),
          "bn.running_mean", new NamedArray("bn.running_mean", new long[] {C}, new float[] {1f, -1f}),
          "bn.running_var", new NamedArray("bn.running_var", new long[] {C}, new float[] {2f, 0.5f})));

      // Hand computation: per channel mean, biased var (normalise), unbiased var (running update).
      int m = N * H * W;
      double[] mean = new double[C];
      double[] var = new double[C];
      for (int i = 0; i < m; i++) {
        for (int c = 0; c < C; c++) {
          mean[c] += x[i * C + c] / (double) m;
        }
      }
      for (int i = 0; i < m; i++) {
        for (int c = 0; c < C; c++) {
          var[c] += Math.pow(x[i * C + c] - mean[c], 2);
        }
      }
      float[] gamma = {1.5f, 0.5f}, beta = {0.1f, -0.2f};
      float[] expectTrain = new float[x.length];
      for (int i = 0; i < m; i++) {
        for (int c = 0; c < C; c++) {
          expectTrain[i * C + c] = (float) ((x[i * C + c] - mean[c]) / Math.sqrt(var[c] / m + 1e-5) * gamma[c] + beta[c]);
        }
      }
      float[] expectMean = new float[C], expectVar = new float[C];
      float[] oldMean = {1f, -1f}, oldVar = {2f, 0.5f};
      for (int c = 0; c < C; c++) {
        expectMean[c] = (float) (0.9 * oldMean[c] + 0.1 * mean[c]);
        expectVar[c] = (float) (0.9 * oldVar[c] + 0.1 * var[c] / (m - 1));
      }

      try (TFloat32 input = TFloat32.tensorOf(Shape.of(N, H, W, C), DataBuffers.of(x, true, false))) {
        Session.Runner r = session.runner().feed(in, input).fetch(trainOut);
        train.bnUpdates().forEach(r::addTarget);
        try (Result res = r.run()) {
          assertArrayEquals(expectTrain, Feeds.read(res.get(0)), 1e-4f);
        }
        Map<String, NamedArray> after = vars.read(session, s -> s.kind() == VariableSpec.Kind.BUFFER);
        assertArrayEquals(expectMean, after.get("bn.running_mean").values(), 1e-5f);
        assertArrayEquals(expectVar, after.get("bn.running_var").values(), 1e-4f);

        float[] expectEval = new float[x.length];
        for (int i = 0; i < m; i++) {
          for (int c = 0; c < C; c++) {
            expectEval[i * C + c] = (float) ((x[i * C + c] - expectMean[c]) / Math.sqrt(expectVar[c] + 1e-5) * gamma[c] + beta[c]);
          }
        }
        try (Result res = session.runner().feed(in, input).fetch(evalOut).run()) {
          assertArrayEquals(expectEval, Feeds.read(res.get(0)), 1e-4f);
        }
      }
    }
  }
}
