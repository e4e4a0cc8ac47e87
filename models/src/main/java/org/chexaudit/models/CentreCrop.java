package org.chexaudit.models;

/**
 * torchvision's {@code CenterCrop}: top = round((h - size) / 2), left = round((w - size) / 2) with
 * Python 3's round (half to even): a 256 window starts at 0 in 257 pixels (round(0.5) = 0) and at 2 in
 * 259 (round(1.5) = 2).
 */
final class CentreCrop {
  private CentreCrop() {}

  /** Offset of a {@code size} window centred in {@code length}. */
  static int offset(int length, int size) {
    return (int) Math.rint((length - size) / 2.0);
  }

  /** The centre {@code size x size} of a row-major {@code height x width} image. */
  static byte[] of(byte[] src, int height, int width, int size) {
    if (height == size && width == size) {
      return src;
    }
    int top = offset(height, size);
    int left = offset(width, size);
    byte[] out = new byte[size * size];
    for (int y = 0; y < size; y++) {
      System.arraycopy(src, (top + y) * width + left, out, y * size, size);
    }
    return out;
  }
}
