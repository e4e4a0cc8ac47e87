package org.chexaudit.models;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.chexaudit.schemas.ImageExample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/** CheXclusion's training regimen (seeds-spec B4) in the graph and the trainer. */
class ChexclusionTrainingTest {
  private static final int SIZE = 16;

  private static TrainConfig chexclusion(int epochs, int patience) {
    return TrainConfig.of(Task.DISEASE, Architecture.SMALL_CNN).withImageSize(SIZE).withEpochs(epochs)
        .withBatchSize(16).withThreads(1).withRegimen(Regimen.chexclusion(15, patience));
  }

  @Test
  void imagenetRecipeScalesBy255ThenNormalisesEachChannel() {
    try (Graph graph = new Graph(); Session s = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Placeholder<TUint8> in = tf.placeholder(TUint8.class);
      Operand<TFloat32> imagenet = NetworkGraph.networkInput(tf, in, InputRecipe.IMAGENET_CENTRE_CROP);
      Operand<TFloat32> raw = NetworkGraph.networkInput(tf, in, InputRecipe.RAW);
      try (TUint8 px = Feeds.images(List.of(new byte[] {0, (byte) 255, (byte) 128, 7}), 2);
          Result r = s.runner().feed(in, px).fetch(imagenet).fetch(raw).run()) {
        float[] v = Feeds.read(r.get(0)); // [1,2,2,3]: pixel-major, channels R, G, B
        double[] expected = {
            -0.485 / 0.229, -0.456 / 0.224, -0.406 / 0.225, // 0
            (1 - 0.485) / 0.229, (1 - 0.456) / 0.224, (1 - 0.406) / 0.225, // 255: 2.2489, 2.4286, 2.64
            (128 / 255.0 - 0.485) / 0.229, (128 / 255.0 - 0.456) / 0.224, (128 / 255.0 - 0.406) / 0.225,
            (7 / 255.0 - 0.485) / 0.229, (7 / 255.0 - 0.456) / 0.224, (7 / 255.0 - 0.406) / 0.225};
        for (int i = 0; i < expected.length; i++) {
          assertThat("value " + i, (double) v[i], closeTo(expected[i], 2e-6));
        }
        assertThat((double) v[5], closeTo(2.64, 1e-6));
        // chexploration: 0..255 repeated to three channels, untouched.
        assertArrayEquals(new float[] {0, 0, 0, 255, 255, 255, 128, 128, 128, 7, 7, 7}, Feeds.read(r.get(1)), 0f);
      }
    }
  }

  @Test
  void clippedGradientEntersAdamAsHandComputed() {
    float b1 = 0.9f;
    float b2 = 0.999f;
    float eps = 1e-8f;
    try (NetworkGraph g = raceGraphWithGradient(0.5f)) {
      NetworkGraph.Objective o = g.objectives.get(0);
      String w = "classifier.weight";
      float[] grad = g.vars.read(g.session, s -> s.name().equals("accumulator.race." + w))
          .get("accumulator.race." + w).values();
      assertThat("some gradient elements exceed the clip value",
          (int) java.util.stream.IntStream.range(0, grad.length).filter(i -> Math.abs(grad[i]) > 0.5f).count(),
          greaterThan(3));
      float[] p0 = param(g, w);
      float lr = 1e-3f;
      for (int t = 1; t <= 2; t++) {
        float[] mBefore = param(g, "optimizer.race.exp_avg." + w);
        float[] vBefore = param(g, "optimizer.race.exp_avg_sq." + w);
        float[] pBefore = param(g, w);
        float lrCorrected = (float) (lr / (1 - Math.pow(b1, t)));
        float vc = (float) Math.sqrt(1 - Math.pow(b2, t));
        applyAdam(g, o, lrCorrected, vc);
        float[] m = param(g, "optimizer.race.exp_avg." + w);
        float[] v = param(g, "optimizer.race.exp_avg_sq." + w);
        float[] p = param(g, w);
        for (int i = 0; i < grad.length; i++) {
          float c = Math.max(-0.5f, Math.min(0.5f, grad[i]));
          float mi = mBefore[i] * b1 + c * (1 - b1);
          float vi = vBefore[i] * b2 + c * c * (1 - b2);
          assertThat("m[" + i + "] step " + t, (double) m[i], closeTo(mi, 1e-7 + 1e-6 * Math.abs(mi)));
          assertThat("v[" + i + "] step " + t, (double) v[i], closeTo(vi, 1e-10 + 1e-6 * vi));
          double pi = pBefore[i] - lrCorrected * mi / (Math.sqrt(vi) / vc + eps);
          assertThat("p[" + i + "] step " + t, (double) p[i], closeTo(pi, 1e-6));
        }
      }
      assertThat(Arrays.equals(p0, param(g, w)), equalTo(false));
    }
  }

  @Test
  void withoutClippingTheRawGradientEntersAdam() {
    try (NetworkGraph g = raceGraphWithGradient(0f)) {
      NetworkGraph.Objective o = g.objectives.get(0);
      String w = "classifier.weight";
      float[] grad = param(g, "accumulator.race." + w);
      applyAdam(g, o, 1e-2f, (float) Math.sqrt(1 - 0.999));
      float[] m = param(g, "optimizer.race.exp_avg." + w);
      for (int i = 0; i < grad.length; i++) {
        assertThat((double) m[i], closeTo(0.1 * grad[i], 1e-6 * Math.abs(grad[i]) + 1e-9));
      }
    }
  }

  /** A small CNN race model (Adam 0.9, 0.999, 1e-8) with one batch's gradient in its accumulators. */
  private static NetworkGraph raceGraphWithGradient(float clipValue) {
    ModelSpec spec = ModelSpec.of(Architecture.SMALL_CNN, SIZE, Task.RACE);
    NetworkGraph g = NetworkGraph.training(spec,
        new NetworkGraph.TrainingOptions(true, true, 0.9f, 0.999f, 1e-8f, clipValue), 1);
    g.vars.write(g.session, g.vars.initialValues(3, s -> true));
    accumulate(g, g.objectives.get(0));
    return g;
  }

  /** One batch's gradient into the accumulators, scaled up (normaliser 0.02) so elements exceed 0.5. */
  private static void accumulate(NetworkGraph g, NetworkGraph.Objective o) {
    int n = 6;
    Random rng = new Random(4);
    List<byte[]> images = new ArrayList<>();
    float[] targets = new float[n * 3];
    for (int i = 0; i < n; i++) {
      byte[] px = new byte[SIZE * SIZE];
      rng.nextBytes(px);
      images.add(px);
      targets[i * 3 + rng.nextInt(3)] = 1f;
    }
    try (Tensor im = Feeds.images(images, SIZE);
        Tensor t = Feeds.matrix(targets, n, 3);
        Tensor w = Feeds.vector(new float[] {1, 1, 1, 1, 1, 1});
        Tensor norm = TFloat32.scalarOf(0.02f)) {
      Session.Runner r = g.session.runner().feed(g.images, im).feed(o.targets, t).feed(o.weights, w)
          .feed(o.normaliser, norm);
      o.accumulateFirst.forEach(r::addTarget);
      r.run();
    }
  }

  private static void applyAdam(NetworkGraph g, NetworkGraph.Objective o, float lrCorrected, float vc) {
    try (TFloat32 lr = TFloat32.scalarOf(lrCorrected); TFloat32 v = TFloat32.scalarOf(vc)) {
      Session.Runner run = g.session.runner().feed(g.lrCorrected, lr).feed(g.varianceCorrection, v);
      o.apply.forEach(run::addTarget);
      run.run();
    }
  }

  private static float[] param(NetworkGraph g, String name) {
    return g.vars.read(g.session, s -> s.name().equals(name)).get(name).values();
  }

  @Test
  void adamStartsAfreshEachEpoch(@TempDir Path tmp) throws Exception {
    List<ImageExample> train = SyntheticImages.generate(12, SIZE, 21, "t");
    TrainConfig reset = chexclusion(2, 10).withAugment(false);
    Trainer.of(reset).withProgress(null).train(train, train, tmp.resolve("reset"));
    Map<String, NamedArray> ck = Npz.read(tmp.resolve("reset/checkpoints/last.npz"));
    // One batch per epoch: after epoch 2 the moments hold that epoch's single step only,
    // m = (1-b1) g and v = (1-b2) g^2, so v = (1-b2)/(1-b1)^2 m^2 (0.1 m^2, in float32 constants).
    double ratio = (1f - 0.999f) / ((double) (1f - 0.9f) * (1f - 0.9f));
    assertThat(ck.get("trainer.steps.disease").values()[0], equalTo(1f));
    float[] m = ck.get("optimizer.disease.exp_avg.features.conv1.weight").values();
    float[] v = ck.get("optimizer.disease.exp_avg_sq.features.conv1.weight").values();
    int checked = 0;
    for (int i = 0; i < m.length; i++) {
      if (Math.abs(m[i]) > 1e-6) {
        assertThat("element " + i, (double) v[i], closeTo(ratio * m[i] * m[i], 1e-5 * v[i]));
        checked++;
      }
    }
    assertThat(checked, greaterThan(100));

    // The same run without the reset keeps epoch 1's moments: two steps, v != 0.1 m^2.
    TrainConfig kept = TrainConfig.of(Task.DISEASE, Architecture.SMALL_CNN).withImageSize(SIZE).withEpochs(2)
        .withBatchSize(16).withThreads(1).withAugment(false);
    Trainer.of(kept).withProgress(null).train(train, train, tmp.resolve("kept"));
    Map<String, NamedArray> k = Npz.read(tmp.resolve("kept/checkpoints/last.npz"));
    assertThat(k.get("trainer.steps.disease").values()[0], equalTo(2f));
    float[] km = k.get("optimizer.disease.exp_avg.features.conv1.weight").values();
    float[] kv = k.get("optimizer.disease.exp_avg_sq.features.conv1.weight").values();
    int off = 0;
    for (int i = 0; i < km.length; i++) {
      off += Math.abs(kv[i] - ratio * km[i] * km[i]) > 1e-3 * kv[i] ? 1 : 0;
    }
    assertThat(off, greaterThan(100));
  }

  @Test
  void killedRunResumesToTheSameLearningRatesStopAndWeights(@TempDir Path tmp) throws Exception {
    List<ImageExample> train = SyntheticImages.generate(24, SIZE, 22, "t");
    List<ImageExample> val = SyntheticImages.generate(12, SIZE, 23, "v");
    TrainConfig c = chexclusion(12, 4).withLearningRate(0.05f).withBatchSize(8);
    Trainer.Result whole = Trainer.of(c).withProgress(null).train(train, val, tmp.resolve("whole"));
    List<String> log = Files.readAllLines(tmp.resolve("whole/training_log.csv"));
    assertThat(log.get(0), equalTo("epoch,train_loss,val_loss,seconds,images_per_s,seed,lr"));
    int firstHalved = 0;
    for (int i = 2; i < log.size() && firstHalved == 0; i++) {
      firstHalved = lr(log.get(i)) < lr(log.get(i - 1)) ? i - 1 : 0; // epoch whose end halved the rate
    }
    assertThat("the schedule halved the rate at least once", firstHalved, greaterThan(0));
    assertThat(whole.stoppedEarly(), equalTo(true));
    assertThat(whole.finished(), equalTo(true));
    assertThat(whole.epochsDone(), equalTo(whole.bestEpoch() + 4));

    // Killed right after the first halving: the checkpoint must carry the halved rate.
    Trainer.Result first = Trainer.of(c).withProgress(null).withEpochBudget(firstHalved)
        .train(train, val, tmp.resolve("split"));
    assertThat(first.finished(), equalTo(false));
    Trainer.Result second = Trainer.of(c).withProgress(null).train(train, val, tmp.resolve("split"));
    assertThat(second, equalTo(new Trainer.Result(tmp.resolve("split"), whole.epochsDone(), true, whole.bestEpoch(),
        whole.bestValLoss(), true, 24, 12)));
    Map<String, NamedArray> a = Npz.read(tmp.resolve("whole/checkpoints/last.npz"));
    Map<String, NamedArray> b = Npz.read(tmp.resolve("split/checkpoints/last.npz"));
    assertThat(b.keySet(), equalTo(a.keySet()));
    for (String k : a.keySet()) {
      assertArrayEquals(a.get(k).values(), b.get(k).values(), 0f, k);
    }
    List<String> splitLog = Files.readAllLines(tmp.resolve("split/training_log.csv"));
    assertThat(splitLog.stream().map(ChexclusionTrainingTest::lrColumn).toList(),
        equalTo(log.stream().map(ChexclusionTrainingTest::lrColumn).toList()));
    assertThat(Npz.read(tmp.resolve("split/best/weights.npz")), equalTo(Npz.read(tmp.resolve("whole/best/weights.npz"))));
  }

  private static float lr(String row) {
    return Float.parseFloat(row.substring(row.lastIndexOf(',') + 1));
  }

  private static String lrColumn(String row) {
    String[] f = row.split(",");
    return f[0] + ":" + f[f.length - 1];
  }

  @Test
  void predictorCropsAndNormalisesAsTrainingDid(@TempDir Path tmp) throws Exception {
    List<ImageExample> train = SyntheticImages.generate(16, SIZE, SIZE + 5, 24, "t");
    List<ImageExample> test = SyntheticImages.generate(5, SIZE + 3, SIZE, 25, "x");
    Trainer.of(chexclusion(1, 10)).withProgress(null).train(train, train, tmp);
    ModelSpec spec = ModelDir.existing(tmp).spec();
    assertThat(spec.input(), equalTo(InputRecipe.IMAGENET_CENTRE_CROP));
    Map<String, Object> config = (Map<String, Object>) ModelDir.readJson(tmp.resolve("model.json")).get("config");
    assertThat(config.get("protocol"), equalTo("chexclusion"));
    assertThat(config.get("gradientClipValue"), equalTo(0.5));
    Scores scores;
    try (Predictor p = Predictor.load(tmp, 2, 1)) {
      scores = p.predict(test);
    }
    try (NetworkGraph g = NetworkGraph.inference(spec, 1)) {
      g.vars.write(g.session, Npz.read(tmp.resolve("best/weights.npz")));
      List<byte[]> crops = new ArrayList<>();
      for (ImageExample e : test) {
        byte[] all = new byte[e.getPixels().remaining()];
        e.getPixels().duplicate().get(all);
        crops.add(CentreCrop.of(all, SIZE + 3, SIZE, SIZE));
      }
      try (TUint8 in = Feeds.images(crops, SIZE);
          Result r = g.session.runner().feed(g.images, in).fetch(g.logits.get(Head.DISEASE)).run()) {
        float[] logits = Feeds.read(r.get(0));
        for (int i = 0; i < test.size(); i++) {
          // Batches of 2 against one of 5: TensorFlow may round the last bit differently.
          assertArrayEquals(Arrays.copyOfRange(logits, i * 14, i * 14 + 14), scores.logits(Head.DISEASE)[i], 1e-5f);
        }
      }
    }
  }
}
