package org.chexaudit.core.image;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/**
 * torchvision 0.3's {@code Scale(size)} on Pillow's BILINEAR resize. Expected pixels were computed with
 * Pillow 9.4.0 (Debian python3-pil) by {@code benchmarks/chexclusion/pillow-reference.py}; they are committed here so
 * the build needs no Python.
 */
class PillowResizeTest {
  /** The reference script's test image: {@code (i*37 + (i//w)*11 + (i*i)%7) % 256}. */
  static byte[] image(int h, int w) {
    byte[] px = new byte[h * w];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) ((i * 37L + (i / w) * 11L + ((long) i * i) % 7) % 256);
    }
    return px;
  }

  private static void check(int h, int w, int size, int[] expectedShape, int... expected) {
    assertThat(PillowResize.shorterSideShape(h, w, size), equalTo(expectedShape));
    byte[] out = PillowResize.shorterSide(GreyImage.ofBytes(w, h, image(h, w)), size);
    byte[] want = new byte[expected.length];
    for (int i = 0; i < want.length; i++) {
      want[i] = (byte) expected[i];
    }
    assertArrayEquals(want, out, h + "x" + w + " -> " + size);
  }

  @Test
  void shrinkingTheShorterHeightMatchesPillow() {
    check(7, 11, 4, new int[] {4, 6}, 97, 118, 115, 147, 110, 113, 120, 126, 162, 133, 120, 129, 131, 152, 120,
        124, 131, 166, 143, 104, 139, 128, 142, 103);
  }

  @Test
  void shrinkingTheShorterWidthMatchesPillow() {
    check(13, 9, 5, new int[] {7, 5}, 78, 128, 154, 117, 84, 125, 146, 122, 135, 129, 121, 123, 149, 110, 128, 96,
        107, 152, 149, 107, 146, 108, 135, 138, 156, 120, 138, 108, 134, 128, 127, 103, 133, 113, 133);
  }

  @Test
  void enlargingMatchesPillow() {
    check(3, 4, 6, new int[] {6, 8}, 0, 10, 29, 48, 68, 87, 104, 113, 40, 50, 69, 88, 108, 110, 95, 88, 121, 131,
        150, 169, 187, 156, 78, 39, 137, 147, 166, 185, 202, 171, 93, 54, 88, 98, 117, 136, 153, 155, 142, 135, 63,
        73, 93, 112, 129, 147, 166, 175);
  }

  @Test
  void shrinkingByMoreThanTwoWidensTheFilterAsPillowDoes() {
    check(20, 31, 7, new int[] {7, 10}, 115, 130, 120, 135, 125, 135, 132, 134, 137, 128, 116, 126, 128, 123, 135,
        124, 139, 129, 122, 128, 134, 123, 126, 129, 124, 136, 125, 116, 127, 125, 124, 128, 125, 127, 131, 126, 137,
        122, 141, 131, 135, 121, 129, 127, 127, 133, 121, 121, 126, 118, 114, 132, 121, 129, 129, 128, 133, 122, 139,
        117, 122, 119, 132, 121, 133, 126, 132, 131, 132, 133);
  }

  @Test
  void shorterSideAlreadyAtSizeIsLeftAlone() {
    byte[] px = image(5, 8);
    assertArrayEquals(px, PillowResize.shorterSide(GreyImage.ofBytes(8, 5, px), 5));
    // torchvision truncates the long side: int(256 * 3000 / 2544) = 301
    assertThat(PillowResize.shorterSideShape(2544, 3000, 256), equalTo(new int[] {256, 301}));
  }
}
