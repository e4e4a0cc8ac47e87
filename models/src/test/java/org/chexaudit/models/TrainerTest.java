package org.chexaudit.models;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.chexaudit.schemas.ImageExample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
  private static final int SIZE = 16;

  private static TrainConfig tiny(Task task) {
    return TrainConfig.of(task, Architecture.SMALL_CNN).withImageSize(SIZE).withEpochs(2).withBatchSize(16)
        .withThreads(1);
  }

  @Test
  void overfitsOneSmallBatch(@TempDir Path tmp) throws Exception {
    List<ImageExample> batch = SyntheticImages.generate(8, SIZE, 5, "b");
    TrainConfig c = tiny(Task.SEX).withEpochs(150).withBatchSize(8).withAugment(false).withLearningRate(1e-2f);
    Trainer.of(c).withProgress(null).train(batch, batch, tmp);
    List<String> log = Files.readAllLines(tmp.resolve("training_log.csv"));
    double lastTrainLoss = Double.parseDouble(log.get(log.size() - 1).split(",")[1]);
    assertThat(lastTrainLoss, lessThan(0.02));
  }

  @Test
  void resumedRunEqualsUninterruptedRun(@TempDir Path tmp) throws Exception {
    List<ImageExample> train = SyntheticImages.generate(40, SIZE, 6, "t");
    List<ImageExample> val = SyntheticImages.generate(16, SIZE, 7, "v");
    TrainConfig c = tiny(Task.DISEASE).withEpochs(3).withMicroBatchSize(8);
    Trainer.of(c).withProgress(null).train(train, val, tmp.resolve("whole"));
    Trainer.Result first = Trainer.of(c).withProgress(null).withEpochBudget(1).train(train, val, tmp.resolve("split"));
    assertThat(first.finished(), equalTo(false));
    assertThat(Files.exists(tmp.resolve("split/saved_model")), equalTo(false));
    Trainer.Result second = Trainer.of(c).withProgress(null).train(train, val, tmp.resolve("split"));
    assertThat(second.finished(), equalTo(true));

    Map<String, NamedArray> a = Npz.read(tmp.resolve("whole/checkpoints/last.npz"));
    Map<String, NamedArray> b = Npz.read(tmp.resolve("split/checkpoints/last.npz"));
    assertThat(b.keySet(), equalTo(a.keySet()));
    for (String k : a.keySet()) {
      assertArrayEquals(a.get(k).values(), b.get(k).values(), 0f, k);
    }
    assertThat(Npz.read(tmp.resolve("split/best/weights.npz")), equalTo(Npz.read(tmp.resolve("whole/best/weights.npz"))));
  }

  @Test
  void prefetchingBatchesGivesTheSameRun(@TempDir Path tmp) throws Exception {
    List<ImageExample> train = SyntheticImages.generate(40, SIZE, 13, "t");
    List<ImageExample> val = SyntheticImages.generate(16, SIZE, 14, "v");
    TrainConfig c = tiny(Task.DISEASE).withEpochs(2).withBatchSize(8); // augmented, 5 batches per epoch
    Trainer.of(c).withProgress(null).withPrefetch(true).train(train, val, tmp.resolve("prefetch"));
    Trainer.of(c).withProgress(null).withPrefetch(false).train(train, val, tmp.resolve("inline"));
    Map<String, NamedArray> a = Npz.read(tmp.resolve("prefetch/checkpoints/last.npz"));
    Map<String, NamedArray> b = Npz.read(tmp.resolve("inline/checkpoints/last.npz"));
    assertThat(b.keySet(), equalTo(a.keySet()));
    for (String k : a.keySet()) {
      assertArrayEquals(a.get(k).values(), b.get(k).values(), 0f, k);
    }
    List<String> logA = Files.readAllLines(tmp.resolve("prefetch/training_log.csv"));
    List<String> logB = Files.readAllLines(tmp.resolve("inline/training_log.csv"));
    for (int i = 0; i < logA.size(); i++) { // epoch, train_loss, val_loss; seconds and images/s differ
      assertThat(String.join(",", List.of(logA.get(i).split(",")).subList(0, 3)),
          equalTo(String.join(",", List.of(logB.get(i).split(",")).subList(0, 3))));
    }
  }

  @Test
  void deviceNames() {
    assertThat(TfDevice.parse("cpu").toString(), equalTo("cpu"));
    assertThat(TfDevice.parse(" GPU:1 ").toString(), equalTo("gpu:1"));
    assertThat(TfDevice.parse("auto").toString(), equalTo("auto"));
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> TfDevice.parse("tpu"));
    assertThat(bad.getMessage(), containsString("device must be auto, cpu, gpu or gpu:N"));
    assertThat(TfDevice.parse("cpu").visibleDevices().get(0), containsString("CPU"));
  }

  @Test
  void saveLoadPredictGivesIdenticalOutputs(@TempDir Path tmp) throws Exception {
    List<ImageExample> train = SyntheticImages.generate(32, SIZE, 8, "t");
    List<ImageExample> test = SyntheticImages.generate(10, SIZE, 9, "x");
    Trainer.of(tiny(Task.MULTITASK)).withProgress(null).train(train, train, tmp);
    Scores fromSavedModel;
    try (Predictor p = Predictor.load(tmp, 4, 1)) {
      fromSavedModel = p.predict(test);
    }
    ModelSpec spec = ModelDir.existing(tmp).spec();
    try (NetworkGraph g = NetworkGraph.inference(spec, 1)) {
      g.vars.write(g.session, Npz.read(tmp.resolve("best/weights.npz")));
      List<byte[]> px = test.stream().map(e -> ImageData.pixelsOf(e, SIZE, "test")).toList();
      try (var in = Feeds.images(px, SIZE);
          var r = g.session.runner().feed(g.images, in).fetch(g.logits.get(Head.RACE)).fetch(g.embeddings).run()) {
        float[] logits = Feeds.read(r.get(0));
        float[] emb = Feeds.read(r.get(1));
        // The predictor runs batches of 4, this graph one of 10: TensorFlow's CPU kernels may then round the
        // last bit differently (measured here: 5e-8 on a logit of -0.156), so equal up to float rounding.
        for (int i = 0; i < test.size(); i++) {
          assertArrayEquals(java.util.Arrays.copyOfRange(logits, i * 3, i * 3 + 3), fromSavedModel.logits(Head.RACE)[i], 1e-6f);
          assertArrayEquals(java.util.Arrays.copyOfRange(emb, i * 64, i * 64 + 64), fromSavedModel.embeddings()[i], 1e-6f);
        }
      }
    }
    float[] p0 = fromSavedModel.probabilities(Head.SEX)[0];
    assertThat((double) Math.abs(p0[0] + p0[1] - 1f), lessThan(1e-6));
    assertThat(fromSavedModel.probabilities(Head.DISEASE)[0].length, equalTo(14));
  }

  @Test
  void splitFreezesBackboneWeightsButUpdatesBatchNormStatistics(@TempDir Path tmp) throws Exception {
    List<ImageExample> train = SyntheticImages.generate(32, SIZE, 10, "t");
    Trainer.of(tiny(Task.DISEASE).withEpochs(1)).withProgress(null).train(train, train, tmp.resolve("disease"));
    Map<String, NamedArray> disease = Npz.read(tmp.resolve("disease/best/weights.npz"));

    Trainer.of(tiny(Task.RACE).withFreezeBackboneFrom(tmp.resolve("disease"), false)).withProgress(null)
        .train(train, train, tmp.resolve("split"));
    Map<String, NamedArray> split = Npz.read(tmp.resolve("split/checkpoints/last.npz"));
    assertArrayEquals(disease.get("features.conv1.weight").values(), split.get("features.conv1.weight").values(), 0f);
    assertArrayEquals(disease.get("features.norm2.weight").values(), split.get("features.norm2.weight").values(), 0f);
    assertThat(split.get("features.norm2.running_mean"), not(equalTo(disease.get("features.norm2.running_mean"))));

    Trainer.of(tiny(Task.RACE).withFreezeBackboneFrom(tmp.resolve("disease"), true)).withProgress(null)
        .train(train, train, tmp.resolve("probe"));
    Map<String, NamedArray> probe = Npz.read(tmp.resolve("probe/checkpoints/last.npz"));
    assertArrayEquals(disease.get("features.norm2.running_mean").values(),
        probe.get("features.norm2.running_mean").values(), 0f);
    assertThat(probe.get("classifier.weight").shape()[0], equalTo(3L));
  }

  @Test
  void clearErrors(@TempDir Path tmp) throws Exception {
    NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> Predictor.load(tmp.resolve("nope")));
    assertThat(missing.getMessage(), containsString("model dir does not exist"));

    List<ImageExample> wrongSize = SyntheticImages.generate(4, 20, 11, "w");
    IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
        () -> Trainer.of(tiny(Task.DISEASE)).withProgress(null).train(wrongSize, wrongSize, tmp.resolve("m")));
    assertThat(size.getMessage(), containsString("example w0 is 20x20 but the model takes 16x16 images"));

    List<ImageExample> train = SyntheticImages.generate(16, SIZE, 12, "t");
    Trainer.of(tiny(Task.SEX).withEpochs(1)).withProgress(null).train(train, train, tmp.resolve("sex"));
    try (Predictor p = Predictor.load(tmp.resolve("sex"))) {
      IllegalArgumentException task = assertThrows(IllegalArgumentException.class, () -> p.requireTask(Task.DISEASE));
      assertThat(task.getMessage(), containsString("model is a sex model; a disease model was expected"));
      IllegalArgumentException predictSize = assertThrows(IllegalArgumentException.class, () -> p.predict(wrongSize));
      assertThat(predictSize.getMessage(), containsString("is 20x20 but the model takes 16x16"));
    }
    IllegalArgumentException otherConfig = assertThrows(IllegalArgumentException.class,
        () -> Trainer.of(tiny(Task.SEX).withEpochs(3)).withProgress(null).train(train, train, tmp.resolve("sex")));
    assertThat(otherConfig.getMessage(), containsString("holds a run with a different config"));
  }
}
