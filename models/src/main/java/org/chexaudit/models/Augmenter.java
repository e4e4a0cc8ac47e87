package org.chexaudit.models;

import java.util.SplittableRandom;

/**
 * The original's training augmentation on one uint8 channel: horizontal flip with p=0.5, then with
 * p=0.5 a random affine (rotation U(-15,15) degrees, scale U(0.9,1.1), no translation or shear)
 * about the image centre, nearest neighbour, fill 0 — torchvision's tensor {@code RandomAffine}
 * mapping. Randomness comes from (seed, epoch, example index), so it is repeatable and resumable.
 */
final class Augmenter {
  static final double FLIP_P = 0.5;
  static final double AFFINE_P = 0.5;
  static final double MAX_DEGREES = 15;
  static final double MIN_SCALE = 0.9;
  static final double MAX_SCALE = 1.1;

  private Augmenter() {}

  static SplittableRandom random(long seed, int epoch, int index) {
    long s = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + index * 0x94D049BB133111EBL;
    return new SplittableRandom(s);
  }

  /** Returns an augmented copy of the {@code size x size} image. */
  static byte[] augment(byte[] src, int size, SplittableRandom rng) {
    boolean flip = rng.nextDouble() < FLIP_P;
    boolean affine = rng.nextDouble() < AFFINE_P;
    if (!affine) {
      return flip ? flip(src, size) : src.clone();
    }
    double angle = -MAX_DEGREES + 2 * MAX_DEGREES * rng.nextDouble();
    double scale = MIN_SCALE + (MAX_SCALE - MIN_SCALE) * rng.nextDouble();
    return affine(flip ? flip(src, size) : src, size, angle, scale);
  }

  static byte[] flip(byte[] src, int size) {
    byte[] out = new byte[src.length];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        out[y * size + x] = src[y * size + size - 1 - x];
      }
    }
    return out;
  }

  /**
   * torchvision's inverse affine matrix for (angle, scale) with zero shear and translation:
   * source = [[cos, sin], [-sin, cos]] / scale applied to output coordinates relative to the centre.
   */
  static byte[] affine(byte[] src, int size, double degrees, double scale) {
    double rot = Math.toRadians(degrees);
    double a = Math.cos(rot) / scale;
    double b = Math.sin(rot) / scale;
    double c = (size - 1) / 2.0;
    byte[] out = new byte[src.length];
    for (int y = 0; y < size; y++) {
      double dy = y - c;
      for (int x = 0; x < size; x++) {
        double dx = x - c;
        long sx = (long) Math.rint(a * dx + b * dy + c);
        long sy = (long) Math.rint(-b * dx + a * dy + c);
        if (sx >= 0 && sx < size && sy >= 0 && sy < size) {
          out[y * size + x] = src[(int) (sy * size + sx)];
        }
      }
    }
    return out;
  }
}
