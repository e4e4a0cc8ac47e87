package org.chexaudit.transforms.image;

import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.chexaudit.core.cohort.DeadLetters;
import org.chexaudit.core.image.GreyDecoder;
import org.chexaudit.core.image.GreyImage;
import org.chexaudit.core.image.ImageDecodeException;
import org.chexaudit.core.image.JpegEncoder;
import org.chexaudit.core.image.PillowResize;
import org.chexaudit.core.image.Resizer;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.DeadLetter;
import org.chexaudit.schemas.ImageExample;
import org.chexaudit.transforms.io.Resources;

/**
 * One cohort record's image, decoded and resized as {@link DecodeAndResize} configures it: an
 * {@link ImageExample}, or a {@link DeadLetter} when the file cannot be used. A DoFn holds one, opened in
 * its setup (the decoder is a native session) and closed in its teardown.
 */
final class ImageMaker implements Serializable {
  private final String imageRoot;
  private final int height;
  private final int width;
  private final String jpegDir;
  private final float jpegQuality;
  /** 0: square {@code height x width}; else the shorter side's length. */
  private final int shorterSide;
  private final GreyDecoder.Factory decoderFactory;
  /** Names this maker's settings: copies of it (one per DoFn instance) make the same images. */
  private final String settings = UUID.randomUUID().toString();
  private transient GreyDecoder decoder;

  ImageMaker(String imageRoot, int height, int width, String jpegDir, float jpegQuality, int shorterSide,
      GreyDecoder.Factory decoderFactory) {
    this.imageRoot = imageRoot;
    this.height = height;
    this.width = width;
    this.jpegDir = jpegDir;
    this.jpegQuality = jpegQuality;
    this.shorterSide = shorterSide;
    this.decoderFactory = decoderFactory;
  }

  /** Whether {@code other} is a copy of this maker, so makes the same image of a record. */
  boolean sameSettings(ImageMaker other) {
    return settings.equals(other.settings);
  }

  void open() {
    decoder = decoderFactory.open();
  }

  void close() {
    if (decoder != null) {
      decoder.close();
      decoder = null;
    }
  }

  /** Reads, decodes and resizes {@code r}'s image; gives it to {@code images}, or its reason to {@code dead}. */
  void make(CohortRecord r, Consumer<ImageExample> images, Consumer<DeadLetter> dead) throws IOException {
    ResourceId file = Resources.file(Resources.dir(imageRoot), r.getPath().toString());
    GreyImage img;
    try {
      img = decoder.decode(ImageFiles.read(file));
    } catch (ImageDecodeException e) {
      dead.accept(DeadLetters.of(DecodeAndResize.STAGE, Resources.path(file), null,
          r.getId() + " " + r.getPath(), e.getMessage()));
      return;
    }
    int h = height;
    int w = width;
    byte[] pixels;
    if (shorterSide > 0) {
      int[] hw = PillowResize.shorterSideShape(img.height(), img.width(), shorterSide);
      h = hw[0];
      w = hw[1];
      pixels = PillowResize.shorterSide(img, shorterSide);
    } else {
      pixels = Resizer.resizeToUint8(img, height, width);
    }
    if (jpegDir != null) {
      writeJpeg(r, pixels, h, w);
    }
    images.accept(toExample(r, pixels, h, w));
  }

  /** Written under its final name: a retried bundle writes the same bytes to the same name again. */
  private void writeJpeg(CohortRecord r, byte[] pixels, int h, int w) throws IOException {
    String preproc = r.getPathPreproc().toString();
    String name = preproc.substring(preproc.lastIndexOf('/') + 1);
    String folder = shorterSide > 0 ? "preproc_shorter" + shorterSide : DecodeAndResize.jpegFolderName(height, width);
    ImageFiles.write(Resources.file(Resources.dir(Resources.dir(jpegDir), folder), name),
        JpegEncoder.encode(pixels, w, h, jpegQuality));
  }

  /**
   * The cohort record's labels and attributes with the pixels. Attributes are the record's own plus
   * sex, race, age, disease and path (when set and not already there), so audits downstream can group
   * by them without the cohort.
   */
  static ImageExample toExample(CohortRecord r, byte[] pixels, int height, int width) {
    Map<String, String> attributes = new HashMap<>();
    r.getAttributes().forEach((k, v) -> attributes.put(k.toString(), v.toString()));
    putIfSet(attributes, "sex", r.getSex());
    putIfSet(attributes, "race", r.getRace());
    putIfSet(attributes, "age", r.getAge());
    putIfSet(attributes, "disease", r.getDisease());
    putIfSet(attributes, "path", r.getPath());
    return ImageExample.newBuilder()
        .setId(r.getId())
        .setPatientId(r.getPatientId())
        .setSplit(r.getSplit())
        .setHeight(height)
        .setWidth(width)
        .setPixels(ByteBuffer.wrap(pixels))
        .setLabels(r.getLabels())
        .setSexLabel(r.getSexLabel())
        .setRaceLabel(r.getRaceLabel())
        .setDiseaseLabel(r.getDiseaseLabel())
        .setAttributes(new HashMap<>(attributes))
        .build();
  }

  private static void putIfSet(Map<String, String> m, String key, Object value) {
    if (value != null) {
      m.putIfAbsent(key, value.toString());
    }
  }

  /** A DoFn that makes images: its maker is opened when an instance is set up and closed at its teardown. */
  abstract static class Fn<I, O> extends DoFn<I, O> {
    final ImageMaker maker;

    Fn(ImageMaker maker) {
      this.maker = maker;
    }

    @Setup
    public void setup() {
      maker.open();
    }

    @Teardown
    public void teardown() {
      maker.close();
    }
  }
}
