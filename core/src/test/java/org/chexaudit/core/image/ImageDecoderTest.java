package org.chexaudit.core.image;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDecoderTest {
  @TempDir Path tmp;

  @Test
  void eightBitGreyJpegRoundTripsThroughTheEncoderClosely() throws Exception {
    byte[] px = new byte[16 * 8];
    Arrays.fill(px, (byte) 200);
    GreyImage img = ImageDecoder.decode(JpegEncoder.encode(px, 16, 8, 0.75f));
    assertThat(img.width(), equalTo(16));
    assertThat(img.height(), equalTo(8));
    assertThat(img.get(0), closeTo(200, 1));
  }

  @Test
  void sixteenBitPngIsScaledTo255() throws Exception {
    GreyImage img = ImageDecoder.decode(ImageFixtures.grey16Png(5, 4, 128 * 257));
    assertThat(img.width(), equalTo(5));
    assertThat(img.get(7), closeTo(128, 1e-4));
  }

  @Test
  void colourIsConvertedWithSkimageRgb2grayWeights() throws Exception {
    GreyImage img = ImageDecoder.decode(ImageFixtures.rgb(3, 3, 200, 100, 50, "png"));
    // 0.2125*200 + 0.7154*100 + 0.0721*50
    assertThat(img.get(4), closeTo(117.645, 1e-4));
  }

  @Test
  void badFilesAreRejectedWithTheirCategory() throws Exception {
    Path empty = Files.write(tmp.resolve("empty.jpg"), new byte[0]);
    Path text = Files.write(tmp.resolve("text.jpg"), "not an image".getBytes(StandardCharsets.UTF_8));
    byte[] jpeg = ImageFixtures.greyJpeg(64, 64, 1);
    Path truncated = Files.write(tmp.resolve("cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
    assertThat(reason(tmp.resolve("absent.jpg")), equalTo(ImageDecodeException.Reason.MISSING));
    assertThat(reason(empty), equalTo(ImageDecodeException.Reason.EMPTY));
    assertThat(reason(text), equalTo(ImageDecodeException.Reason.NOT_AN_IMAGE));
    assertThat(reason(truncated), equalTo(ImageDecodeException.Reason.CORRUPT));
    assertThat(reason(tmp), equalTo(ImageDecodeException.Reason.UNREADABLE));
    ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(truncated));
    assertThat(e.getMessage(), startsWith("corrupt image: "));
  }

  @Test
  void hugeDimensionsInTheHeaderAreRefusedBeforeDecoding() throws Exception {
    byte[] jpeg = ImageFixtures.greyJpeg(64, 64, 1);
    for (int i = 0; i + 8 < jpeg.length; i++) {
      if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC0) { // SOF0: length, precision, height, width
        jpeg[i + 5] = (byte) (20000 >> 8);
        jpeg[i + 6] = (byte) 20000;
        jpeg[i + 7] = (byte) (20000 >> 8);
        jpeg[i + 8] = (byte) 20000;
        break;
      }
    }
    Path huge = Files.write(tmp.resolve("huge.jpg"), jpeg);
    ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(huge));
    assertThat(e.reason(), equalTo(ImageDecodeException.Reason.TOO_LARGE));
    assertThat(e.getMessage(), startsWith("image too large: JPEG header says 20000x20000"));
  }

  private static ImageDecodeException.Reason reason(Path p) {
    return assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(p)).reason();
  }
}
