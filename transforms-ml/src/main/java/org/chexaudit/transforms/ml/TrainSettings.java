package org.chexaudit.transforms.ml;

import java.io.Serializable;
import java.nio.file.Paths;
import org.chexaudit.models.Architecture;
import org.chexaudit.models.Regimen;
import org.chexaudit.models.Task;
import org.chexaudit.models.TrainConfig;

/**
 * A serializable copy of a {@link TrainConfig} (which holds {@code Path}s), so a DoFn can carry it to
 * the worker that trains.
 */
public final class TrainSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Task task;
  private final Architecture architecture;
  private final int imageSize;
  private final int diseaseClasses;
  private final int epochs;
  private final int batchSize;
  private final int microBatchSize;
  private final float learningRate;
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final long seed;
  private final boolean augment;
  private final String freezeBackboneFrom;
  private final boolean strictLinearProbe;
  private final String initWeights;
  private final float[] classWeights;
  private final int threads;
  private final int maxTrainBatchesPerEpoch;
  private final Regimen.Protocol protocol;
  private final double rotationDegrees;
  private final int patience;

  private TrainSettings(TrainConfig c) {
    task = c.task();
    architecture = c.architecture();
    imageSize = c.imageSize();
    diseaseClasses = c.diseaseClasses();
    epochs = c.epochs();
    batchSize = c.batchSize();
    microBatchSize = c.microBatchSize();
    learningRate = c.learningRate();
    beta1 = c.beta1();
    beta2 = c.beta2();
    epsilon = c.epsilon();
    seed = c.seed();
    augment = c.augment();
    freezeBackboneFrom = c.freezeBackboneFrom() == null ? null : c.freezeBackboneFrom().toString();
    strictLinearProbe = c.strictLinearProbe();
    initWeights = c.initWeights() == null ? null : c.initWeights().toString();
    classWeights = c.classWeights() == null ? null : c.classWeights().clone();
    threads = c.threads();
    maxTrainBatchesPerEpoch = c.maxTrainBatchesPerEpoch();
    protocol = c.regimen().protocol();
    rotationDegrees = c.regimen().rotationDegrees();
    patience = c.regimen().patience();
  }

  public static TrainSettings of(TrainConfig config) {
    return new TrainSettings(config);
  }

  public TrainConfig toConfig() {
    return new TrainConfig(task, architecture, imageSize, diseaseClasses, epochs, batchSize, microBatchSize,
        learningRate, beta1, beta2, epsilon, seed, augment,
        freezeBackboneFrom == null ? null : Paths.get(freezeBackboneFrom), strictLinearProbe,
        initWeights == null ? null : Paths.get(initWeights), classWeights == null ? null : classWeights.clone(),
        threads, maxTrainBatchesPerEpoch, new Regimen(protocol, rotationDegrees, patience));
  }
}
