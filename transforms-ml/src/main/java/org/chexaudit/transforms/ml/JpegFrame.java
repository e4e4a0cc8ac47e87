package org.chexaudit.transforms.ml;

/**
 * Reads a JPEG's frame header (SOF) without decoding: enough to tell an 8-bit single-component (grey)
 * baseline, extended or progressive JPEG, the kind {@link TurboJpegDecoder} decodes itself.
 */
final class JpegFrame {
  private JpegFrame() {}

  /** {height, width} of an 8-bit grey SOF0/SOF1/SOF2 JPEG, or null for anything else. */
  static int[] greyFrame(byte[] d) {
    if (d.length < 4 || (d[0] & 0xff) != 0xFF || (d[1] & 0xff) != 0xD8) {
      return null;
    }
    int i = 2;
    while (i + 4 <= d.length) {
      if ((d[i] & 0xff) != 0xFF) {
        return null;
      }
      int marker = d[i + 1] & 0xff;
      if (marker == 0xFF) { // fill byte
        i++;
        continue;
      }
      int length = ((d[i + 2] & 0xff) << 8) | (d[i + 3] & 0xff);
      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
        if (i + 10 > d.length || marker > 0xC2) {
          return null; // truncated header, or lossless/arithmetic/hierarchical coding
        }
        int precision = d[i + 4] & 0xff;
        int height = ((d[i + 5] & 0xff) << 8) | (d[i + 6] & 0xff);
        int width = ((d[i + 7] & 0xff) << 8) | (d[i + 8] & 0xff);
        int components = d[i + 9] & 0xff;
        return precision == 8 && components == 1 && height > 0 && width > 0 ? new int[] {height, width} : null;
      }
      if (marker == 0xDA || marker == 0xD9) {
        return null; // scan or end before any frame header
      }
      i += 2 + length;
    }
    return null;
  }
}
