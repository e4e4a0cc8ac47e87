package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Options of the {@code train} command. Defaults are the original's (seeds-spec A5): DenseNet-121,
 * Adam 1e-3, batch 150, seed 42, 20 epochs for disease/multitask and 50 for sex/race. With
 * {@code --protocol=chexclusion --dataset=...} they are CheXclusion's (B4); an option given explicitly
 * always wins over a preset. DenseNet-121 trains at 1-2 images/s on a CPU, so CPU runs and the demo use
 * {@code --arch=smallcnn} with small images.
 */
public interface TrainOptions extends StageOptions, SeedOption, ThreadsOption, DatasetOption, ImageShardsOption, TaskOption,
    ArchOption, ImageSizeOption, EpochsOption, BatchSizeOption {
  @Description("Training protocol: chexploration (seeds-spec A5: Adam, fixed LR, all epochs) or chexclusion (B4:"
      + " with --dataset; Adam re-created each epoch, gradients clipped to +-0.5, LR halved after 3 epochs without"
      + " improvement, early stop, flip + rotation, ImageNet-normalised centre crop of shorter-side-resized images).")
  @Default.Enum("chexploration")
  Protocol getProtocol();

  void setProtocol(Protocol value);

  @Description("Train one model per seed, in order, each in <output>/seed<N>/ (resumable; finished seeds are"
      + " skipped on a rerun); overrides --seed, for example: 32,40,56,60,90")
  String getSeeds();

  void setSeeds(String value);

  @Description("With --protocol=chexclusion: epochs without improvement after which training stops; default 10"
      + " (5 for --dataset=all).")
  Integer getPatience();

  void setPatience(Integer value);

  @Description("With --protocol=chexclusion: training rotation range in degrees; default 15 (10 for --dataset=nih).")
  Double getRotationDegrees();

  void setRotationDegrees(Double value);

  @Description("Images per forward/backward pass; gradients of a batch's micro-batches are summed before one step."
      + " Default: the whole batch. Lower it when a batch does not fit in memory, for example: 50")
  Integer getMicroBatchSize();

  void setMicroBatchSize(Integer value);

  @Description("Adam learning rate; default 0.001, or the chexclusion preset's (5e-5 cxp, 5e-4 others).")
  Double getLearningRate();

  void setLearningRate(Double value);

  @Description("Train and validate on a subgroup only: all, white, asian, black, male, female, or attribute=value.")
  @Default.String("all")
  String getTrainSubset();

  void setTrainSubset(String value);

  @Description("An .npz of backbone weights by torchvision state-dict name (e.g. ImageNet-pretrained DenseNet-121), for example: densenet121.npz")
  String getInitWeights();

  void setInitWeights(String value);

  @Description("SPLIT (seeds-spec A6): a trained disease model dir whose backbone is loaded and frozen; only a new sex or race head is trained.")
  String getFreezeBackboneFrom();

  void setFreezeBackboneFrom(String value);

  @Description("With --freezeBackboneFrom: keep BatchNorm in inference mode while training (a pure linear probe); the original updates its running statistics.")
  @Default.Boolean(false)
  boolean getStrictLinearProbe();

  void setStrictLinearProbe(boolean value);

  @Description("Cross-entropy weights of the race classes White,Asian,Black (the original used 1,6,11 until Apr 2022), for example: 1,6,11")
  String getClassWeights();

  void setClassWeights(String value);

  @Description("Random flips and affine transforms (chexclusion: flips and rotations) of training images, as the original.")
  @Default.Boolean(true)
  boolean getAugment();

  void setAugment(boolean value);

  @Description("Split whose images are trained on.")
  @Default.String("train")
  String getTrainSplit();

  void setTrainSplit(String value);

  @Description("Split whose loss selects the best checkpoint.")
  @Default.String("validate")
  String getValidationSplit();

  void setValidationSplit(String value);

  @Description("Training images held in memory to shuffle the shards' stream (each epoch reads the shards in a"
      + " seeded order and draws each batch at random from this many); memory is about this many images, whatever"
      + " the data set's size. Default 1000 (about 64 MB at 256x256).")
  @Default.Integer(1000)
  int getShuffleBuffer();

  void setShuffleBuffer(int value);
}
