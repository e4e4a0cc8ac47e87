package org.chexaudit.models;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CheXclusion's learning-rate halving and early stop, epoch by epoch as train.py runs them (spec B4). */
class PlateauScheduleTest {
  /** The rates each epoch was trained with, until the schedule stops (or the losses run out). */
  private static List<Float> run(PlateauSchedule schedule, float lr, float... valLoss) {
    List<Float> used = new ArrayList<>();
    float best = Float.POSITIVE_INFINITY;
    int bestEpoch = 0;
    for (int epoch = 1; epoch <= valLoss.length; epoch++) {
      used.add(lr);
      if (valLoss[epoch - 1] < best) {
        best = valLoss[epoch - 1];
        bestEpoch = epoch;
      }
      PlateauSchedule.Step step = schedule.after(epoch, valLoss[epoch - 1], bestEpoch, best, lr);
      lr = step.nextLearningRate();
      if (step.stop()) {
        break;
      }
    }
    return used;
  }

  @Test
  void cxpSeed40BestAtEpoch6HalvesFromEpoch9AndStopsAt16() {
    // Improves until epoch 6, then never again.
    float[] loss = {0.50f, 0.45f, 0.42f, 0.41f, 0.405f, 0.40f, 0.41f, 0.42f, 0.43f, 0.41f, 0.44f, 0.42f, 0.43f,
        0.45f, 0.41f, 0.46f, 0.47f, 0.48f};
    List<Float> lr = run(new PlateauSchedule(3, 10), 1e-4f, loss);
    assertThat(lr.size(), equalTo(16)); // epoch 16 - 6 = 10 >= patience: stop
    for (int epoch = 1; epoch <= 16; epoch++) {
      // Epoch 9 (9 - 6 = 3) is the first to halve, so epoch 10 is the first trained at half the rate.
      float expected = epoch <= 9 ? 1e-4f : (float) (1e-4f / Math.pow(2, epoch - 9));
      assertThat("epoch " + epoch, lr.get(epoch - 1), equalTo(expected));
    }
  }

  @Test
  void unionStopsAfterFiveEpochsWithoutImprovement() {
    float[] loss = {0.5f, 0.4f, 0.6f, 0.6f, 0.6f, 0.6f, 0.6f, 0.6f};
    List<Float> lr = run(new PlateauSchedule(3, 5), 5e-4f, loss);
    assertThat(lr, equalTo(List.of(5e-4f, 5e-4f, 5e-4f, 5e-4f, 5e-4f, 2.5e-4f, 1.25e-4f)));
  }

  @Test
  void improvementResetsTheCountAndALossEqualToTheBestDoesNotDecay() {
    float[] loss = {0.5f, 0.6f, 0.6f, 0.6f, 0.6f, 0.4f, 0.4f, 0.4f, 0.4f, 0.4f};
    List<Float> lr = run(new PlateauSchedule(3, 10), 1f, loss);
    // epoch 4 (4 - 1 = 3, loss above best) halves; epoch 5 halves again; epoch 6 improves; 7-10 equal the best.
    assertThat(lr, equalTo(List.of(1f, 1f, 1f, 1f, 0.5f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f)));
  }

  @Test
  void rejectsPatienceBelowTheDecayDelay() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PlateauSchedule(3, 2));
    assertThat(e.getMessage(), equalTo("PlateauSchedule needs 1 <= decayAfter <= patience, got decayAfter=3 patience=2"));
  }
}
