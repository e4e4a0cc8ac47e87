package org.chexaudit.models;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that determines a training run. Immutable; start from {@link #of(Task, Architecture)}
 * (the original's settings: Adam 1e-3, batch 150, seed 42, 224x224, epochs per task) and change
 * fields with the {@code withX} methods. Serializable (Beam carries it to the worker that trains): paths
 * are kept as the strings given, and a deserialised copy goes through the canonical constructor's checks.
 *
 * @param microBatchSize images per forward/backward pass; gradients of the micro-batches of a batch
 *     are summed before one Adam step. Equal to {@code batchSize} means no accumulation. BatchNorm
 *     uses each micro-batch's statistics, so results differ slightly from one full batch.
 * @param freezeBackboneFrom SPLIT: a trained model dir whose backbone is loaded and frozen; only a
 *     new head is trained. A path as given (local, or any file system the trainer is told how to copy from,
 *     see {@link Trainer#withLocalCopies})
 * @param strictLinearProbe with {@code freezeBackboneFrom}: BatchNorm in inference mode during
 *     training too (the original keeps it in training mode, updating running statistics)
 * @param initWeights an {@code .npz} of backbone weights by torchvision state-dict name (see
 *     {@link WeightFiles}); a path as given, like {@code freezeBackboneFrom}
 * @param classWeights per-class cross-entropy weights of the race head (null: all 1)
 * @param threads TensorFlow intra/inter-op threads; 0 lets TensorFlow use all cores
 * @param maxTrainBatchesPerEpoch 0 for all batches; a positive value stops each epoch early (smoke runs)
 * @param regimen the protocol's optimiser schedule, augmentation and input recipe (chexploration or CheXclusion)
 * @param shuffleBuffer training examples held in memory to shuffle the stream of shards: each epoch visits the
 *     shards in a seeded order and draws each batch's examples at random from this many (see {@link ShuffleBuffer})
 */
public record TrainConfig(
    Task task, Architecture architecture, int imageSize, int diseaseClasses, int epochs, int batchSize,
    int microBatchSize, float learningRate, float beta1, float beta2, float epsilon, long seed,
    boolean augment, String freezeBackboneFrom, boolean strictLinearProbe, String initWeights,
    float[] classWeights, int threads, int maxTrainBatchesPerEpoch, Regimen regimen, int shuffleBuffer) implements Serializable {
  private static final long serialVersionUID = 1L;
  /**
   * Examples held for shuffling by default: about 64 MB of 256x256 images, so memory stays bounded
   * whatever the data set's size, while a set up to this size is shuffled uniformly.
   */
  public static final int DEFAULT_SHUFFLE_BUFFER = 1000;

  public TrainConfig {
    check(imageSize >= 16, "imageSize", imageSize);
    check(epochs >= 1, "epochs", epochs);
    check(batchSize >= 1, "batchSize", batchSize);
    check(microBatchSize >= 1 && microBatchSize <= batchSize, "microBatchSize (1..batchSize)", microBatchSize);
    check(learningRate > 0, "learningRate", learningRate);
    check(beta1 >= 0 && beta1 < 1, "beta1", beta1);
    check(beta2 >= 0 && beta2 < 1, "beta2", beta2);
    check(epsilon > 0, "epsilon", epsilon);
    check(threads >= 0, "threads", threads);
    check(maxTrainBatchesPerEpoch >= 0, "maxTrainBatchesPerEpoch", maxTrainBatchesPerEpoch);
    check(shuffleBuffer >= 1, "shuffleBuffer", shuffleBuffer);
    java.util.Objects.requireNonNull(regimen, "TrainConfig.regimen can not be null");
    if (strictLinearProbe && freezeBackboneFrom == null) {
      throw new IllegalArgumentException("strictLinearProbe needs freezeBackboneFrom");
    }
    if (freezeBackboneFrom != null && task == Task.MULTITASK) {
      throw new IllegalArgumentException("freezeBackboneFrom trains a single new head; task must not be multitask");
    }
    if (classWeights != null) {
      classWeights = classWeights.clone();
      if (!task.heads().contains(Head.RACE) || classWeights.length != 3) {
        throw new IllegalArgumentException("classWeights apply to the 3-class race head; got "
            + Arrays.toString(classWeights) + " for task " + task.key());
      }
    }
  }

  private static void check(boolean ok, String field, Object value) {
    if (!ok) {
      throw new IllegalArgumentException("TrainConfig." + field + " is invalid: " + value);
    }
  }

  /** The original's settings for {@code task}: 20 epochs for disease and multitask, 50 for sex and race. */
  public static TrainConfig of(Task task, Architecture architecture) {
    int epochs = task == Task.SEX || task == Task.RACE ? 50 : 20;
    return new TrainConfig(task, architecture, 224, ModelSpec.DEFAULT_DISEASE_CLASSES, epochs, 150, 150,
        1e-3f, 0.9f, 0.999f, 1e-8f, 42L, true, null, false, null, null, 0, 0, Regimen.chexploration(),
        DEFAULT_SHUFFLE_BUFFER);
  }

  public ModelSpec modelSpec() {
    return new ModelSpec(architecture, imageSize, task, diseaseClasses, regimen.input());
  }

  /** Cross-entropy weight of class {@code c} of {@code head}. */
  float classWeight(Head head, int c) {
    return head == Head.RACE && classWeights != null ? classWeights[c] : 1f;
  }

  public TrainConfig withImageSize(int v) {
    return new TrainConfig(task, architecture, v, diseaseClasses, epochs, batchSize, microBatchSize, learningRate, beta1, beta2, epsilon, seed, augment, freezeBackboneFrom, strictLinearProbe, initWeights, classWeights, threads, maxTrainBatchesPerEpoch, regimen, shuffleBuffer);
  }

  public TrainConfig withDiseaseClasses(int v) {
    return new TrainConfig(task, architecture, imageSize, v, epochs, batchSize, microBatchSize, learningRate, beta1, beta2, epsilon, seed, augment, freezeBackboneFrom, strictLinearProbe, initWeights, classWeights, threads, maxTrainBatchesPerEpoch, regimen, shuffleBuffer);
  }

  public TrainConfig withEpochs(int v) {
    return new TrainConfig(task, architecture, imageSize, diseaseClasses, v, batchSize, microBatchSize, learningRate, beta1, beta2, epsilon, seed, augment, freezeBackboneFrom, strictLinearProbe, initWeights, classWeights, threads, maxTrainBatchesPerEpoch, regimen, shuffleBuffer);
  }

  /** Sets the batch size and, when the micro-batch was the whole batch, keeps it so. */
  public TrainConfig withBatchSize(int v) {
    int micro = microBatchSize == batchSize ? v : Math.min(microBatchSize, v);
    return new TrainConfig(task, architecture, imageSize, diseaseClasses, epochs, v, micro, learningRate, beta1, beta2, epsilon, seed, augment, freezeBackboneFrom, strictLinearProbe, initWeights, classWeights, threads, maxTrainBatchesPerEpoch, regimen, shuffleBuffer);
  }

  public TrainConfig withMicroBatchSize(int v) {
    return new TrainConfig(task, architecture, imageSize, diseaseClasses, epochs, batchSize, v, learningRate, beta1, beta2, epsilon, seed, augment, freezeBackboneFrom, strictLinearProbe, initWeights, classWeights, threads, maxTrainBatchesPerEpoch, regimen, shuffleBuffer);
  }

  public TrainConfig withLearningRate(float v) {
    return new TrainConfig(task, architecture, imageSize, diseaseClasses, epochs, batchSize, microBatchSize, v, beta1, beta2, epsilon, seed, augment, freezeBackboneFrom, strictLinearProbe, initWeights, classWeights, threads, maxTrainBatchesPerEpoch, regimen, shuffleBuffer);
  }

  public TrainConfig withSeed(long v) {
    return new TrainConfig(task, architecture, imageSize, diseaseClasses, epochs, batchSize, microBatchSize, learningRate, beta1, beta2, epsilon, v, augment, freezeBackboneFrom, strictLinearProbe, initWeights, classWeights, threads, maxTrainBatchesPerEpoch, regimen, shuffleBuffer);
  }

  public TrainConfig withAugment(boolean v) {
    return new TrainConfig(task, architecture, imageSize, diseaseClasses, epochs, batchSize, microBatchSize, learningRate, beta1, beta2, epsilon, seed, v, freezeBackboneFrom, strictLinearProbe, initWeights, classWeights, threads, maxTrainBatchesPerEpoch, regimen, shuffleBuffer);
  }

  public TrainConfig withFreezeBackboneFrom(Path v, boolean strict) {
    return withFreezeBackboneFrom(v.toString(), strict);
  }

  public TrainConfig withFreezeBackboneFrom(String v, boolean strict) {
    return new TrainConfig(task, architecture, imageSize, diseaseClasses, epochs, batchSize, microBatchSize, learningRate, beta1, beta2, epsilon, seed, augment, v, strict, initWeights, classWeights, threads, maxTrainBatchesPerEpoch, regimen, shuffleBuffer);
  }

  public TrainConfig withInitWeights(Path v) {
    return withInitWeights(v.toString());
  }

  public TrainConfig withInitWeights(String v) {
    return new TrainConfig(task, architecture, imageSize, diseaseClasses, epochs, batchSize, microBatchSize, learningRate, beta1, beta2, epsilon, seed, augment, freezeBackboneFrom, strictLinearProbe, v, classWeights, threads, maxTrainBatchesPerEpoch, regimen, shuffleBuffer);
  }

  public TrainConfig withClassWeights(float... v) {
    return new TrainConfig(task, architecture, imageSize, diseaseClasses, epochs, batchSize, microBatchSize, learningRate, beta1, beta2, epsilon, seed, augment, freezeBackboneFrom, strictLinearProbe, initWeights, v, threads, maxTrainBatchesPerEpoch, regimen, shuffleBuffer);
  }

  public TrainConfig withThreads(int v) {
    return new TrainConfig(task, architecture, imageSize, diseaseClasses, epochs, batchSize, microBatchSize, learningRate, beta1, beta2, epsilon, seed, augment, freezeBackboneFrom, strictLinearProbe, initWeights, classWeights, v, maxTrainBatchesPerEpoch, regimen, shuffleBuffer);
  }

  public TrainConfig withMaxTrainBatchesPerEpoch(int v) {
    return new TrainConfig(task, architecture, imageSize, diseaseClasses, epochs, batchSize, microBatchSize, learningRate, beta1, beta2, epsilon, seed, augment, freezeBackboneFrom, strictLinearProbe, initWeights, classWeights, threads, v, regimen, shuffleBuffer);
  }

  public TrainConfig withRegimen(Regimen v) {
    return new TrainConfig(task, architecture, imageSize, diseaseClasses, epochs, batchSize, microBatchSize, learningRate, beta1, beta2, epsilon, seed, augment, freezeBackboneFrom, strictLinearProbe, initWeights, classWeights, threads, maxTrainBatchesPerEpoch, v, shuffleBuffer);
  }

  public TrainConfig withShuffleBuffer(int v) {
    return new TrainConfig(task, architecture, imageSize, diseaseClasses, epochs, batchSize, microBatchSize, learningRate, beta1, beta2, epsilon, seed, augment, freezeBackboneFrom, strictLinearProbe, initWeights, classWeights, threads, maxTrainBatchesPerEpoch, regimen, v);
  }

  /** The settings that define the result (threads and paths' contents aside), for model.json. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task", task.key());
    m.put("architecture", architecture.name().toLowerCase(java.util.Locale.ROOT));
    m.put("imageSize", imageSize);
    m.put("diseaseClasses", diseaseClasses);
    m.put("epochs", epochs);
    m.put("batchSize", batchSize);
    m.put("microBatchSize", microBatchSize);
    m.put("learningRate", learningRate);
    m.put("beta1", beta1);
    m.put("beta2", beta2);
    m.put("epsilon", epsilon);
    m.put("seed", seed);
    m.put("augment", augment);
    m.put("freezeBackboneFrom", freezeBackboneFrom);
    m.put("strictLinearProbe", strictLinearProbe);
    m.put("initWeights", initWeights);
    m.put("classWeights", classWeights == null ? null
        : java.util.stream.IntStream.range(0, classWeights.length).mapToObj(i -> classWeights[i]).toList());
    m.put("maxTrainBatchesPerEpoch", maxTrainBatchesPerEpoch);
    m.put("shuffleBuffer", shuffleBuffer);
    m.putAll(regimen.toMap());
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainConfig c && c.toMap().toString().equals(toMap().toString()) && c.threads == threads;
  }

  @Override
  public int hashCode() {
    return toMap().toString().hashCode();
  }
}
