package org.chexaudit.models;

import java.util.SplittableRandom;

/**
 * The original's training augmentation on one uint8 channel: horizontal flip with p=0.5, then with
 * p=0.5 a random affine (rotation U(-15,15) degrees, scale U(0.9,1.1), no translation or shear)
 * about the image centre, nearest neighbour, fill 0 — torchvision's tensor {@code RandomAffine}
 * mapping. CheXclusion's ({@link #flipRotate}) is a flip with p=0.5 then always a rotation, as PIL
 * rotates. Randomness comes from (seed, epoch, example index), so it is repeatable and resumable.
 */
final class Augmenter {
  static final double FLIP_P = 0.5;
  static final double AFFINE_P = 0.5;
  static final double MAX_DEGREES = 15;
  static final double MIN_SCALE = 0.9;
  static final double MAX_SCALE = 1.1;

  private Augmenter() {}

  static SplittableRandom random(long seed, int epoch, long key) {
    long s = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + key * 0x94D049BB133111EBL;
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
    return flip(src, size, size);
  }

  static byte[] flip(byte[] src, int height, int width) {
    byte[] out = new byte[src.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        out[y * width + x] = src[y * width + width - 1 - x];
      }
    }
    return out;
  }

  /**
   * CheXclusion's training augmentation (seeds-spec B4): torchvision's {@code RandomHorizontalFlip()}
   * then {@code RandomRotation(maxDegrees)}, an angle U(-maxDegrees, maxDegrees) applied by {@link #rotate}.
   */
  static byte[] flipRotate(byte[] src, int height, int width, double maxDegrees, SplittableRandom rng) {
    boolean flip = rng.nextDouble() < FLIP_P;
    double angle = -maxDegrees + 2 * maxDegrees * rng.nextDouble();
    return rotate(flip ? flip(src, height, width) : src, height, width, angle);
  }

  /**
   * Pillow's {@code Image.rotate(degrees)} (counter-clockwise, about (w/2, h/2), nearest, no expand,
   * fill 0), exactly: the inverse matrix with coefficients rounded to 15 decimals as {@code rotate} does,
   * then {@code affine_fixed} of {@code Geometry.c}, which samples each output pixel centre in 16.16 fixed
   * point arithmetic.
   */
  static byte[] rotate(byte[] src, int height, int width, double degrees) {
    double mod = degrees % 360.0;
    double a = -Math.toRadians(mod < 0 ? mod + 360.0 : mod); // Python's angle % 360.0 is never negative
    double cos = round15(Math.cos(a));
    double sin = round15(Math.sin(a));
    double[] m = {cos, sin, 0, round15(-Math.sin(a)), cos, 0};
    double cx = width / 2.0;
    double cy = height / 2.0;
    m[2] = m[0] * -cx + m[1] * -cy + cx;
    m[5] = m[3] * -cx + m[4] * -cy + cy;
    int a0 = fix(m[0]);
    int a1 = fix(m[1]);
    int a3 = fix(m[3]);
    int a4 = fix(m[4]);
    int a2 = fix(m[2] + m[0] * 0.5 + m[1] * 0.5);
    int a5 = fix(m[5] + m[3] * 0.5 + m[4] * 0.5);
    byte[] out = new byte[src.length];
    for (int y = 0; y < height; y++) {
      int xx = a2;
      int yy = a5;
      for (int x = 0; x < width; x++) {
        int xin = xx >> 16;
        int yin = yy >> 16;
        if (xin >= 0 && xin < width && yin >= 0 && yin < height) {
          out[y * width + x] = src[yin * width + xin];
        }
        xx += a0;
        yy += a3;
      }
      a2 += a1;
      a5 += a4;
    }
    return out;
  }

  /** Python's {@code round(v, 15)}: the double's exact decimal value rounded half to even. */
  private static double round15(double v) {
    return new java.math.BigDecimal(v).setScale(15, java.math.RoundingMode.HALF_EVEN).doubleValue();
  }

  /** Geometry.c's {@code FIX(v) = FLOOR(v * 65536.0 + 0.5)}. */
  private static int fix(double v) {
    return (int) Math.floor(v * 65536.0 + 0.5);
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
