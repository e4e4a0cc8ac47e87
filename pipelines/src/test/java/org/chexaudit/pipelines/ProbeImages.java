package org.chexaudit.pipelines;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.chexaudit.schemas.ImageExample;

/**
 * Images for SPLIT probe tests: noise, plus a disc when the finding (disease label {@link #FINDING}) is
 * present. The disc's brightness is the race shown in the image ({@link #DISC_BRIGHTNESS}, White
 * brightest), so a disease model that learns the disc carries race in its features, but only in images
 * with the finding. Each image is its own patient, so an image-level bootstrap is the right one.
 */
final class ProbeImages {
  static final int FINDING = 10;
  /** Disc brightness per race label (0 White, 1 Asian, 2 Black); the noise is 0..119. */
  static final int[] DISC_BRIGHTNESS = {255, 190, 125};

  private ProbeImages() {}

  /** {@code n} images of {@code size²} pixels; race_label is the race shown in the disc. */
  static List<ImageExample> shown(int n, int size, long seed, String split) {
    Random rng = new Random(seed);
    List<ImageExample> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      boolean finding = rng.nextBoolean();
      int race = rng.nextInt(3);
      byte[] px = new byte[size * size];
      for (int p = 0; p < px.length; p++) {
        px[p] = (byte) rng.nextInt(120);
      }
      if (finding) {
        int cx = size / 4 + rng.nextInt(size / 2);
        int cy = size / 4 + rng.nextInt(size / 2);
        double r = size / 5.0;
        for (int y = 0; y < size; y++) {
          for (int x = 0; x < size; x++) {
            if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
              px[y * size + x] = (byte) DISC_BRIGHTNESS[race];
            }
          }
        }
      }
      List<Float> labels = new ArrayList<>();
      for (int k = 0; k < 14; k++) {
        labels.add(k == FINDING && finding ? 1f : 0f);
      }
      out.add(ImageExample.newBuilder().setId(split + i).setPatientId(split + "-p" + i).setSplit(split)
          .setHeight(size).setWidth(size).setPixels(ByteBuffer.wrap(px)).setLabels(labels)
          .setSexLabel(rng.nextInt(2)).setRaceLabel(race).setDiseaseLabel(null).build());
    }
    return out;
  }

  /** The same images with race_label replaced by a draw that nothing in the pixels shows. */
  static List<ImageExample> raceNotShown(List<ImageExample> images, long seed) {
    Random rng = new Random(seed);
    List<ImageExample> out = new ArrayList<>(images.size());
    for (ImageExample e : images) {
      out.add(ImageExample.newBuilder(e).setRaceLabel(rng.nextInt(3)).build());
    }
    return out;
  }
}
