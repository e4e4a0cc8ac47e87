package org.chexaudit.models;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class AugmenterTest {
  private static byte[] ramp(int size) {
    byte[] px = new byte[size * size];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (i % 251 + 1);
    }
    return px;
  }

  @Test
  void identityAffineAndDoubleFlipLeaveImageUnchanged() {
    byte[] px = ramp(9);
    assertArrayEquals(px, Augmenter.affine(px, 9, 0, 1));
    assertArrayEquals(px, Augmenter.flip(Augmenter.flip(px, 9), 9));
    assertThat(Augmenter.flip(px, 9)[0], equalTo(px[8]));
  }

  @Test
  void rotationBy90MovesPixelsAboutTheCentreAndFillsZero() {
    byte[] px = new byte[25];
    px[2] = 7; // (row 0, col 2): top centre
    byte[] out = Augmenter.affine(px, 5, 90, 1);
    // source = [[cos, sin], [-sin, cos]] * (x, y): output (x=2, y=0) reads source (0, -2) = top centre.
    // (Rotation angles are drawn symmetrically, so the sign convention does not change the distribution.)
    assertThat(out[2 * 5 + 4], equalTo((byte) 7));
    assertThat(out[2], equalTo((byte) 0));
    byte[] shrunk = Augmenter.affine(ramp(9), 9, 0, 0.5);
    assertThat(shrunk[0], equalTo((byte) 0)); // corners map outside the image: fill 0
  }

  @Test
  void sameSeedEpochAndIndexGiveSameAugmentation() {
    byte[] px = ramp(32);
    int changed = 0;
    for (int i = 0; i < 200; i++) {
      byte[] a = Augmenter.augment(px, 32, Augmenter.random(42, 3, i));
      assertArrayEquals(a, Augmenter.augment(px, 32, Augmenter.random(42, 3, i)));
      changed += java.util.Arrays.equals(a, px) ? 0 : 1;
    }
    // P(no flip and no affine) = 0.25
    assertThat(changed, both(greaterThan(130)).and(lessThan(170)));
  }

  /** The reference script's test image: {@code (i*37 + (i//w)*11 + (i*i)%7) % 256}. */
  private static byte[] referenceImage(int h, int w) {
    byte[] px = new byte[h * w];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) ((i * 37L + (i / w) * 11L + ((long) i * i) % 7) % 256);
    }
    return px;
  }

  private static void checkRotation(int h, int w, double degrees, int... expected) {
    byte[] want = new byte[expected.length];
    for (int i = 0; i < want.length; i++) {
      want[i] = (byte) expected[i];
    }
    assertArrayEquals(want, Augmenter.rotate(referenceImage(h, w), h, w, degrees), h + "x" + w + " by " + degrees);
  }

  /** Expected pixels: Pillow 9.4.0 {@code img.rotate(angle, False, False, None)}, benchmarks/chexclusion/pillow-reference.py. */
  @Test
  void rotationMatchesPillowOnRectangularAndSquareImages() {
    checkRotation(6, 9, 12.5, 0, 0, 113, 150, 189, 223, 223, 95, 130, 0, 38, 164, 203, 237, 17, 55, 181, 220, 92,
        127, 251, 31, 69, 109, 144, 12, 48, 178, 217, 83, 123, 158, 195, 234, 100, 140, 9, 45, 172, 209, 248, 26, 62,
        189, 226, 97, 137, 6, 6, 40, 76, 114, 0, 0);
    checkRotation(6, 9, -7.3, 92, 38, 78, 113, 150, 189, 223, 3, 41, 178, 127, 164, 203, 237, 17, 55, 95, 130, 9,
        217, 251, 31, 69, 109, 144, 181, 130, 97, 45, 83, 123, 158, 195, 234, 12, 220, 97, 137, 172, 209, 248, 26, 62,
        100, 48, 186, 223, 6, 40, 76, 114, 154, 189, 140);
    checkRotation(9, 6, 33.0, 0, 113, 150, 164, 0, 0, 78, 92, 127, 141, 141, 0, 14, 28, 66, 80, 120, 0, 248, 28, 42,
        42, 56, 70, 189, 228, 242, 20, 34, 70, 189, 203, 217, 217, 231, 14, 0, 145, 180, 194, 231, 245, 0, 119, 119,
        133, 173, 187, 0, 0, 95, 109, 147, 0);
    checkRotation(8, 8, -14.999, 0, 52, 92, 78, 113, 150, 0, 0, 0, 106, 92, 127, 164, 203, 189, 223, 155, 192, 178,
        217, 251, 31, 17, 17, 206, 245, 231, 9, 45, 83, 69, 109, 3, 37, 23, 59, 97, 137, 123, 158, 87, 87, 73, 111,
        151, 186, 172, 209, 139, 179, 165, 200, 237, 20, 6, 0, 0, 0, 214, 251, 34, 20, 54, 0);
  }

  @Test
  void chexclusionAugmentationFlipsHalfTheTimeAndAlwaysRotatesWithinRange() {
    int h = 12;
    int w = 17;
    byte[] px = referenceImage(h, w);
    int flips = 0;
    for (int i = 0; i < 400; i++) {
      java.util.SplittableRandom draw = Augmenter.random(7, 1, i);
      boolean flip = draw.nextDouble() < Augmenter.FLIP_P;
      double angle = -10 + 20 * draw.nextDouble();
      assertThat(angle, both(greaterThan(-10.0)).and(lessThan(10.0)));
      byte[] expected = Augmenter.rotate(flip ? Augmenter.flip(px, h, w) : px, h, w, angle);
      assertArrayEquals(expected, Augmenter.flipRotate(px, h, w, 10, Augmenter.random(7, 1, i)));
      flips += flip ? 1 : 0;
    }
    assertThat(flips, both(greaterThan(160)).and(lessThan(240)));
  }

  @Test
  void centreCropRoundsHalfToEvenAsPython() {
    assertThat(CentreCrop.offset(257, 256), equalTo(0)); // round(0.5) = 0
    assertThat(CentreCrop.offset(259, 256), equalTo(2)); // round(1.5) = 2
    assertThat(CentreCrop.offset(300, 256), equalTo(22));
    byte[] px = referenceImage(3, 6); // 3x6 -> centre 3x3 starts at column round(1.5) = 2
    assertArrayEquals(new byte[] {px[2], px[3], px[4], px[8], px[9], px[10], px[14], px[15], px[16]},
        CentreCrop.of(px, 3, 6, 3));
  }
}
