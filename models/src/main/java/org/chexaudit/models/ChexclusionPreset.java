package org.chexaudit.models;

import java.util.Locale;
import java.util.Map;

/**
 * CheXclusion's per-dataset training settings (seeds-spec B4 table): DenseNet-121 with a sigmoid
 * multi-label head and mean BCE (the disease task), at most 65 epochs, and
 *
 * <pre>
 *   dataset  batch  LR     rotation  patience
 *   cxp      48     5e-5   15        10
 *   mimic    48     5e-4   15        10
 *   nih      32     5e-4   10        10
 *   all      48     5e-4   15         5
 * </pre>
 *
 * (CXP's main.py sets 5e-5; the log of its seed 40 shows 1e-4.)
 */
public record ChexclusionPreset(String dataset, int batchSize, float learningRate, double rotationDegrees,
    int patience) {
  /** {@code range(0, 64 + 1)}. */
  public static final int MAX_EPOCHS = 65;

  private static final Map<String, ChexclusionPreset> BY_DATASET = Map.of(
      "cxp", new ChexclusionPreset("cxp", 48, 5e-5f, 15, 10),
      "mimic", new ChexclusionPreset("mimic", 48, 5e-4f, 15, 10),
      "nih", new ChexclusionPreset("nih", 32, 5e-4f, 10, 10),
      "all", new ChexclusionPreset("all", 48, 5e-4f, 15, 5));

  /** The preset of {@code cxp}, {@code mimic}, {@code nih} or {@code all} (any case). */
  public static ChexclusionPreset of(String dataset) {
    ChexclusionPreset p = dataset == null ? null : BY_DATASET.get(dataset.trim().toLowerCase(Locale.ROOT));
    if (p == null) {
      throw new IllegalArgumentException("unknown CheXclusion dataset '" + dataset + "'; expected cxp, mimic, nih or all");
    }
    return p;
  }

  /** {@code base} with this preset's batch, learning rate, epochs and CheXclusion regimen. */
  public TrainConfig applyTo(TrainConfig base) {
    return base.withBatchSize(batchSize).withLearningRate(learningRate).withEpochs(MAX_EPOCHS)
        .withRegimen(Regimen.chexclusion(rotationDegrees, patience));
  }
}
