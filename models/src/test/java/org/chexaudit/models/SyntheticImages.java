package org.chexaudit.models;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.chexaudit.schemas.ImageExample;

/**
 * Test images: uniform noise, plus a bright disc when the planted finding is present. Disease label
 * {@link #PLANTED} is the planted finding; label {@link #CONTROL} is a coin flip unrelated to the
 * pixels (the negative control); sex is the planted finding too, race is random.
 */
final class SyntheticImages {
  static final int PLANTED = 10;
  static final int CONTROL = 0;

  private SyntheticImages() {}

  static List<ImageExample> generate(int n, int size, long seed, String prefix) {
    return generate(n, size, size, seed, prefix);
  }

  /** {@code height x width} images (CheXclusion keeps them uncropped until training). */
  static List<ImageExample> generate(int n, int height, int width, long seed, String prefix) {
    Random rng = new Random(seed);
    List<ImageExample> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      boolean finding = rng.nextBoolean();
      boolean control = rng.nextBoolean();
      byte[] px = new byte[height * width];
      for (int p = 0; p < px.length; p++) {
        px[p] = (byte) rng.nextInt(160);
      }
      if (finding) {
        paintDisc(px, height, width, width / 4 + rng.nextInt(width / 2), height / 4 + rng.nextInt(height / 2),
            Math.min(height, width) / 6.0);
      }
      List<Float> labels = new ArrayList<>();
      for (int k = 0; k < 14; k++) {
        Float label = 0f;
        if (k == PLANTED) {
          label = finding ? 1f : rng.nextBoolean() ? 0f : -1f; // -1 (uncertain) counts as negative
        } else if (k == CONTROL) {
          label = control ? Float.valueOf(1f) : null; // blank counts as negative
        }
        labels.add(label);
      }
      out.add(ImageExample.newBuilder().setId(prefix + i).setPatientId("p" + i).setSplit(prefix)
          .setHeight(height).setWidth(width).setPixels(ByteBuffer.wrap(px)).setLabels(labels)
          .setSexLabel(finding ? 1 : 0).setRaceLabel(rng.nextInt(3)).setDiseaseLabel(null).build());
    }
    return out;
  }

  static void paintDisc(byte[] px, int height, int width, int cx, int cy, double r) {
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
          px[y * width + x] = (byte) 250;
        }
      }
    }
  }

  /** Mann-Whitney AUC of {@code scores} against {@code positive}. */
  static double auc(float[] scores, boolean[] positive) {
    double sum = 0;
    long pos = 0, neg = 0;
    for (int i = 0; i < scores.length; i++) {
      for (int j = 0; j < scores.length; j++) {
        if (positive[i] && !positive[j]) {
          sum += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
        }
      }
      if (positive[i]) {
        pos++;
      } else {
        neg++;
      }
    }
    return sum / (pos * neg);
  }
}
