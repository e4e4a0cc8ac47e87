package org.chexaudit.transforms.ml;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.chexaudit.core.image.GreyDecoder;
import org.chexaudit.core.image.GreyImage;
import org.chexaudit.core.image.ImageDecodeException;
import org.chexaudit.core.image.ImageDecoder;
import org.chexaudit.core.image.JpegEncoder;
import org.junit.jupiter.api.Test;

/** libjpeg-turbo through TensorFlow against the JDK's reader, the rules' owner. */
class TurboJpegDecoderTest {
  private static byte[] greyPixels(int w, int h, long seed) {
    Random rnd = new Random(seed);
    byte[] px = new byte[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        px[y * w + x] = (byte) Math.max(0, Math.min(255, 128 + 80 * Math.sin(x * 0.07) * Math.cos(y * 0.05)
            + rnd.nextGaussian() * 8));
      }
    }
    return px;
  }

  private static void assertSamePixels(GreyImage a, GreyImage b) {
    assertThat(b.width(), equalTo(a.width()));
    assertThat(b.height(), equalTo(a.height()));
    for (int i = 0; i < a.width() * a.height(); i++) {
      assertThat("pixel " + i, b.get(i), equalTo(a.get(i)));
    }
  }

  @Test
  void greyJpegsDecodeToTheJdkReadersPixelsAtEverySizeAndQuality() throws Exception {
    try (GreyDecoder turbo = TurboJpegDecoder.factory().open()) {
      int[][] sizes = {{320, 390}, {61, 70}, {1, 1}, {17, 300}};
      for (int[] s : sizes) {
        for (float q : new float[] {0.5f, 0.75f, 0.95f}) {
          byte[] jpeg = JpegEncoder.encode(greyPixels(s[0], s[1], s[0] + s[1]), s[0], s[1], q);
          assertThat(JpegFrame.greyFrame(jpeg), equalTo(new int[] {s[1], s[0]}));
          assertSamePixels(ImageDecoder.decode(jpeg), turbo.decode(jpeg));
        }
      }
    }
  }

  @Test
  void colourAndPngGoThroughTheJdkRules() throws Exception {
    BufferedImage rgb = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 10; y++) {
      for (int x = 0; x < 20; x++) {
        rgb.setRGB(x, y, (x * 12) << 16 | (y * 25) << 8 | 90);
      }
    }
    try (GreyDecoder turbo = TurboJpegDecoder.factory().open()) {
      for (String format : new String[] {"jpeg", "png"}) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(rgb, format, out);
        byte[] data = out.toByteArray();
        assertThat(JpegFrame.greyFrame(data), nullValue());
        assertSamePixels(ImageDecoder.decode(data), turbo.decode(data));
      }
    }
  }

  @Test
  void truncatedAndNonImageFilesFailWithTheJdkCategory() throws Exception {
    byte[] jpeg = JpegEncoder.encode(greyPixels(200, 150, 1), 200, 150, 0.9f);
    try (GreyDecoder turbo = TurboJpegDecoder.factory().open()) {
      for (byte[] bad : new byte[][] {Arrays.copyOf(jpeg, jpeg.length / 2), "not an image".getBytes(), new byte[0]}) {
        ImageDecodeException jdk = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(bad));
        ImageDecodeException ours = assertThrows(ImageDecodeException.class, () -> turbo.decode(bad));
        assertThat(ours.getMessage(), equalTo(jdk.getMessage()));
      }
    }
  }

  /**
   * The known difference, documented on {@code --decoder}: garbage inside the scan makes libjpeg warn;
   * the JDK's reader then calls the image corrupt, TensorFlow's DecodeJpeg returns the pixels it made up.
   */
  @Test
  void garbageInsideTheScanIsDecodedWhereTheJdkRefusesIt() throws Exception {
    byte[] bad = JpegEncoder.encode(greyPixels(200, 150, 2), 200, 150, 0.9f);
    Arrays.fill(bad, bad.length / 3, bad.length / 3 + 64, (byte) 0x37);
    ImageDecodeException jdk = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(bad));
    assertThat(jdk.reason(), equalTo(ImageDecodeException.Reason.CORRUPT));
    try (GreyDecoder turbo = TurboJpegDecoder.factory().open()) {
      assertThat(turbo.decode(bad).width(), equalTo(200));
    }
  }
}
