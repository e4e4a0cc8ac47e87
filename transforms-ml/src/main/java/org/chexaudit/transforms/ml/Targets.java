package org.chexaudit.transforms.ml;

import java.util.List;
import org.chexaudit.models.Head;
import org.chexaudit.schemas.ImageExample;

/** The original's targets of an image: U-zeros for disease (only a raw 1 is positive), the class index for sex and race. */
public final class Targets {
  private Targets() {}

  /** 0/1 per disease label; fails naming the image when it has not {@code classes} labels. */
  public static float[] disease(ImageExample e, int classes) {
    List<Float> labels = e.getLabels();
    if (labels.size() != classes) {
      throw new IllegalArgumentException("image " + e.getId() + " has " + labels.size()
          + " disease labels but the model has " + classes + " disease outputs");
    }
    float[] t = new float[classes];
    for (int i = 0; i < classes; i++) {
      Float v = labels.get(i);
      t[i] = v != null && v == 1f ? 1f : 0f;
    }
    return t;
  }

  /** The class index of a softmax head, or null when the image has no such label. */
  public static Integer classIndex(ImageExample e, Head head) {
    switch (head) {
      case SEX:
        return e.getSexLabel();
      case RACE:
        return e.getRaceLabel();
      default:
        throw new IllegalArgumentException("the disease head has no class index");
    }
  }
}
