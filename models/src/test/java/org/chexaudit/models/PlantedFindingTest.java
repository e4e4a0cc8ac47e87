package org.chexaudit.models;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.chexaudit.schemas.ImageExample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small CNN learns a planted finding and stays at chance on an unrelated label. */
class PlantedFindingTest {
  private static final int SIZE = 32;

  @Test
  void smallCnnFindsPlantedDiscButNotNegativeControl(@TempDir Path tmp) throws Exception {
    List<ImageExample> train = SyntheticImages.generate(480, SIZE, 1, "train");
    List<ImageExample> val = SyntheticImages.generate(120, SIZE, 2, "val");
    List<ImageExample> test = SyntheticImages.generate(400, SIZE, 3, "test");
    TrainConfig config = TrainConfig.of(Task.DISEASE, Architecture.SMALL_CNN).withImageSize(SIZE)
        .withEpochs(4).withBatchSize(32).withThreads(2);
    Trainer.Result result = Trainer.of(config).train(train, val, tmp.resolve("model"));

    assertThat(result.finished(), equalTo(true));
    assertThat(Files.readAllLines(tmp.resolve("model/training_log.csv")).size(), equalTo(5));
    try (Predictor p = Predictor.load(tmp.resolve("model"))) {
      Scores s = p.predict(test);
      float[] planted = new float[test.size()];
      float[] control = new float[test.size()];
      boolean[] hasPlanted = new boolean[test.size()];
      boolean[] hasControl = new boolean[test.size()];
      for (int i = 0; i < test.size(); i++) {
        planted[i] = s.probabilities(Head.DISEASE)[i][SyntheticImages.PLANTED];
        control[i] = s.probabilities(Head.DISEASE)[i][SyntheticImages.CONTROL];
        Float a = test.get(i).getLabels().get(SyntheticImages.PLANTED);
        Float b = test.get(i).getLabels().get(SyntheticImages.CONTROL);
        hasPlanted[i] = a != null && a == 1f;
        hasControl[i] = b != null && b == 1f;
      }
      assertThat(SyntheticImages.auc(planted, hasPlanted), greaterThan(0.9));
      assertThat(SyntheticImages.auc(control, hasControl), both(greaterThan(0.4)).and(lessThan(0.6)));
    }
  }
}
