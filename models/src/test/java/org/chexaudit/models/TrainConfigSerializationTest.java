package org.chexaudit.models;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A TrainConfig travels to the worker that trains by Java serialisation, Paths included. */
class TrainConfigSerializationTest {

  static TrainConfig roundTrip(TrainConfig config) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(config);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (TrainConfig) in.readObject();
    }
  }

  @Test
  void everyComponentSurvivesIncludingPaths() throws Exception {
    TrainConfig config = TrainConfig.of(Task.RACE, Architecture.SMALL_CNN)
        .withImageSize(32).withEpochs(3).withBatchSize(8).withMicroBatchSize(4).withLearningRate(5e-4f)
        .withSeed(7).withAugment(false).withFreezeBackboneFrom(Path.of("/runs/disease/model"), true)
        .withInitWeights("weights/densenet.npz").withClassWeights(1f, 2f, 3f).withThreads(2)
        .withMaxTrainBatchesPerEpoch(5).withRegimen(Regimen.chexclusion(10, 5));
    TrainConfig back = roundTrip(config);
    assertThat(back, equalTo(config));
    assertThat(back.freezeBackboneFrom(), equalTo("/runs/disease/model"));
    assertThat(back.initWeights(), equalTo("weights/densenet.npz"));
    assertThat(back.classWeights(), equalTo(new float[] {1f, 2f, 3f}));
    assertThat(back.threads(), is(2));
    assertThat(back.regimen(), equalTo(Regimen.chexclusion(10, 5)));
  }

  @Test
  void absentPathsStayAbsent() throws Exception {
    TrainConfig back = roundTrip(TrainConfig.of(Task.DISEASE, Architecture.DENSENET121));
    assertThat(back, equalTo(TrainConfig.of(Task.DISEASE, Architecture.DENSENET121)));
    assertThat(back.freezeBackboneFrom(), nullValue());
    assertThat(back.initWeights(), nullValue());
  }
}
