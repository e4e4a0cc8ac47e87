package org.chexaudit.models;

/**
 * CheXclusion's learning-rate schedule and early stop (seeds-spec B4, {@code train.py}), applied after
 * each epoch once the best checkpoint has been updated: if {@code epoch - bestEpoch >= decayAfter} and the
 * epoch's validation loss is above the best, the learning rate halves (from the next epoch on, and again
 * every epoch while this holds); inside that branch, {@code epoch - bestEpoch >= patience} stops training.
 * A loss equal to the best neither improves nor decays.
 */
public record PlateauSchedule(int decayAfter, int patience) {
  public PlateauSchedule {
    if (decayAfter < 1 || patience < decayAfter) {
      throw new IllegalArgumentException("PlateauSchedule needs 1 <= decayAfter <= patience, got decayAfter="
          + decayAfter + " patience=" + patience);
    }
  }

  /** The learning rate of the next epoch, and whether training stops. */
  public record Step(float nextLearningRate, boolean stop) {}

  /**
   * @param bestEpoch and {@code bestLoss}: the best so far, this epoch included
   * @param learningRate the rate this epoch was trained with
   */
  public Step after(int epoch, float valLoss, int bestEpoch, float bestLoss, float learningRate) {
    int since = epoch - bestEpoch;
    if (since >= decayAfter && valLoss > bestLoss) {
      return new Step(learningRate / 2, since >= patience);
    }
    return new Step(learningRate, false);
  }
}
