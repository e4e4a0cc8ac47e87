package org.chexaudit.models;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.List;
import java.util.SplittableRandom;
import org.chexaudit.schemas.ImageExample;

/**
 * One example as the trainer uses it, with the label policy applied: disease targets are U-zeros (only 1
 * is positive; 0, -1 and null are 0), sex and race are class indices. {@code index} is its place in the
 * set's canonical order: augmentation is keyed by it, so an example is augmented the same way whichever
 * order an epoch visits it in. With a centre-cropping {@link InputRecipe} the image is kept whole (any
 * size at least the model's), so augmentation sees the whole image before the crop, as torchvision does.
 */
final class TrainingExample {
  final int index;
  final String id;
  final int height;
  final int width;
  /** As stored: {@code size x size}, or {@code height x width} when cropping. */
  final byte[] pixels;
  final float[] disease;
  final int sex;
  final int race;

  /**
   * The example's augmentation key: a 64-bit FNV-1a hash of its id, so an image is augmented the same way
   * whichever shard and position the pipeline wrote it to (its {@link #index} depends on that).
   */
  long augmentationKey() {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < id.length(); i++) {
      h = (h ^ id.charAt(i)) * 0x100000001b3L;
    }
    return h;
  }

  private TrainingExample(int index, String id, int height, int width, byte[] pixels, float[] disease, int sex,
      int race) {
    this.index = index;
    this.id = id;
    this.height = height;
    this.width = width;
    this.pixels = pixels;
    this.disease = disease;
    this.sex = sex;
    this.race = race;
  }

  /**
   * {@code e} checked and converted; {@code heads} says which labels must be present. Rejects, naming the
   * example, images of the wrong size and missing or out-of-range labels.
   */
  static TrainingExample of(ImageExample e, int index, ModelSpec spec, List<Head> heads, String what) {
    String id = e.getId().toString();
    boolean whole = spec.input().centreCrop();
    byte[] p = whole ? ImageData.uncropped(e, spec.imageSize(), what) : ImageData.pixelsOf(e, spec.imageSize(), what);
    float[] d = new float[spec.diseaseClasses()];
    if (heads.contains(Head.DISEASE)) {
      List<Float> labels = e.getLabels();
      if (labels.size() != spec.diseaseClasses()) {
        throw new IllegalArgumentException(what + " example " + id + ": " + labels.size()
            + " labels but the model has " + spec.diseaseClasses() + " disease outputs");
      }
      for (int i = 0; i < d.length; i++) {
        Float v = labels.get(i);
        d[i] = v != null && v == 1f ? 1f : 0f; // U-zeros
      }
    }
    int s = label(e.getSexLabel(), heads.contains(Head.SEX), 2, "sex_label", id, what);
    int r = label(e.getRaceLabel(), heads.contains(Head.RACE), 3, "race_label", id, what);
    return new TrainingExample(index, id, e.getHeight(), e.getWidth(), p, d, s, r);
  }

  /** Adds what defines this example for training (id, shape when cropping, pixels, targets) to {@code sha}. */
  void digest(MessageDigest sha, boolean whole) {
    sha.update(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    if (whole) {
      sha.update(ByteBuffer.allocate(8).putInt(height).putInt(width).array());
    }
    sha.update(pixels);
    ByteBuffer b = ByteBuffer.allocate(4 * disease.length + 8);
    for (float f : disease) {
      b.putFloat(f);
    }
    b.putInt(sex).putInt(race);
    sha.update(b.array());
  }

  /** The image as the network takes it: {@code size x size}, centre-cropped when the recipe says so. */
  byte[] input(int size, InputRecipe recipe) {
    return cropped(pixels, size, recipe);
  }

  /** The image augmented as the protocol's training does, then cropped. */
  byte[] augmented(int size, InputRecipe recipe, Regimen regimen, SplittableRandom rng) {
    if (!regimen.isChexclusion()) {
      return Augmenter.augment(pixels, size, rng);
    }
    return cropped(Augmenter.flipRotate(pixels, height, width, regimen.rotationDegrees(), rng), size, recipe);
  }

  private byte[] cropped(byte[] px, int size, InputRecipe recipe) {
    return recipe.centreCrop() ? CentreCrop.of(px, height, width, size) : px;
  }

  /** Class index for a softmax head, or the multi-hot vector for disease, into {@code out} at row {@code row}. */
  void target(Head head, float[] out, int row, int classes) {
    switch (head) {
      case DISEASE:
        System.arraycopy(disease, 0, out, row * classes, classes);
        break;
      case SEX:
        out[row * classes + sex] = 1f;
        break;
      default:
        out[row * classes + race] = 1f;
    }
  }

  int classOf(Head head) {
    return head == Head.SEX ? sex : head == Head.RACE ? race : -1;
  }

  private static int label(Integer v, boolean required, int classes, String field, String id, String what) {
    if (!required) {
      return v == null ? 0 : v;
    }
    if (v == null || v < 0 || v >= classes) {
      throw new IllegalArgumentException(what + " example " + id + ": " + field + " is " + v
          + ", expected 0.." + (classes - 1));
    }
    return v;
  }
}
