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
}
