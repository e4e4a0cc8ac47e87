package org.chexaudit.models;

import java.util.List;

/**
 * The shape of a model: architecture, square input size, task, number of disease labels, and how
 * stored pixels become its input ({@link InputRecipe}). Two models with equal specs have the same
 * variables.
 */
public record ModelSpec(Architecture architecture, int imageSize, Task task, int diseaseClasses, InputRecipe input) {
  public static final int DEFAULT_DISEASE_CLASSES = 14;

  /** A model taking stored pixels as they are ({@link InputRecipe#RAW}). */
  public ModelSpec(Architecture architecture, int imageSize, Task task, int diseaseClasses) {
    this(architecture, imageSize, task, diseaseClasses, InputRecipe.RAW);
  }

  public ModelSpec {
    java.util.Objects.requireNonNull(input, "ModelSpec.input can not be null");
    if (imageSize < 16) {
      throw new IllegalArgumentException("imageSize must be >= 16, got " + imageSize);
    }
    if (diseaseClasses < 1) {
      throw new IllegalArgumentException("diseaseClasses must be >= 1, got " + diseaseClasses);
    }
  }

  public static ModelSpec of(Architecture architecture, int imageSize, Task task) {
    return new ModelSpec(architecture, imageSize, task, DEFAULT_DISEASE_CLASSES);
  }

  /** Heads in a fixed order, named as the original PyTorch modules. */
  public List<HeadSpec> heads() {
    return task.heads().stream().map(h -> new HeadSpec(h,
        task == Task.MULTITASK ? "fc_" + h.key() : architecture.backbone().headName(), classes(h))).toList();
  }

  public HeadSpec head(Head head) {
    return heads().stream().filter(h -> h.head() == head).findFirst().orElseThrow(() ->
        new IllegalArgumentException("a " + task.key() + " model has no " + head.key() + " head"));
  }

  public int classes(Head head) {
    switch (head) {
      case DISEASE: return diseaseClasses;
      case SEX: return 2;
      default: return 3;
    }
  }
}
