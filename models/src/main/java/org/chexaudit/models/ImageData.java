package org.chexaudit.models;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.chexaudit.schemas.ImageExample;

/**
 * Images and targets held in memory for random access (shuffling), with the label policy applied:
 * disease targets are U-zeros (only 1 is positive; 0, -1 and null are 0), sex and race are one-hot.
 * Rejects, naming the example, images of the wrong size and missing sex/race labels. With a
 * centre-cropping {@link InputRecipe} the images are kept whole (any size at least the model's), so
 * augmentation sees the whole image before the crop, as torchvision's pipeline does.
 */
final class ImageData {
  final int size;
  final InputRecipe input;
  final List<String> ids = new ArrayList<>();
  /** As stored: {@code size x size}, or {@code heights x widths} when cropping. */
  final List<byte[]> pixels = new ArrayList<>();
  private final List<int[]> shapes = new ArrayList<>();
  final List<float[]> disease = new ArrayList<>();
  final List<Integer> sex = new ArrayList<>();
  final List<Integer> race = new ArrayList<>();
  final String fingerprint;

  private ImageData(int size, InputRecipe input, String fingerprint) {
    this.size = size;
    this.input = input;
    this.fingerprint = fingerprint;
  }

  /** Loads {@code examples}; {@code heads} says which labels must be present. */
  static ImageData of(Iterable<ImageExample> examples, ModelSpec spec, List<Head> heads, String what) {
    MessageDigest sha = sha256();
    int n = 0;
    List<String> ids = new ArrayList<>();
    List<byte[]> px = new ArrayList<>();
    List<float[]> dis = new ArrayList<>();
    List<Integer> sx = new ArrayList<>();
    List<Integer> rc = new ArrayList<>();
    List<int[]> shapes = new ArrayList<>();
    boolean whole = spec.input().centreCrop();
    for (ImageExample e : examples) {
      String id = e.getId().toString();
      byte[] p = whole ? uncropped(e, spec.imageSize(), what) : pixelsOf(e, spec.imageSize(), what);
      float[] d = new float[spec.diseaseClasses()];
      if (heads.contains(Head.DISEASE)) {
        List<Float> labels = e.getLabels();
        if (labels.size() != spec.diseaseClasses()) {
          throw new IllegalArgumentException(what + " example " + id + ": " + labels.size()
              + " labels but the model has " + spec.diseaseClasses() + " disease outputs");
        }
        for (int i = 0; i < d.length; i++) {
          Float v = labels.get(i);
          d[i] = v != null && v == 1f ? 1f : 0f; // U-zeros
        }
      }
      int s = label(e.getSexLabel(), heads.contains(Head.SEX), 2, "sex_label", id, what);
      int r = label(e.getRaceLabel(), heads.contains(Head.RACE), 3, "race_label", id, what);
      ids.add(id);
      px.add(p);
      dis.add(d);
      sx.add(s);
      rc.add(r);
      shapes.add(new int[] {e.getHeight(), e.getWidth()});
      sha.update(id.getBytes(StandardCharsets.UTF_8));
      if (whole) {
        sha.update(ByteBuffer.allocate(8).putInt(e.getHeight()).putInt(e.getWidth()).array());
      }
      sha.update(p);
      ByteBuffer b = ByteBuffer.allocate(4 * d.length + 8);
      for (float f : d) {
        b.putFloat(f);
      }
      b.putInt(s).putInt(r);
      sha.update(b.array());
      n++;
    }
    if (n == 0) {
      throw new IllegalArgumentException(what + " set is empty");
    }
    ImageData data = new ImageData(spec.imageSize(), spec.input(), n + ":" + HexFormat.of().formatHex(sha.digest()));
    data.shapes.addAll(shapes);
    data.ids.addAll(ids);
    data.pixels.addAll(px);
    data.disease.addAll(dis);
    data.sex.addAll(sx);
    data.race.addAll(rc);
    return data;
  }

  int count() {
    return ids.size();
  }

  /** Image {@code i} as the network takes it: {@code size x size}, centre-cropped when the recipe says so. */
  byte[] input(int i) {
    return cropped(i, pixels.get(i));
  }

  /** {@code px}, image {@code i}'s stored pixels or a same-shaped transform of them, as the network takes it. */
  private byte[] cropped(int i, byte[] px) {
    int[] hw = shapes.get(i);
    return input.centreCrop() ? CentreCrop.of(px, hw[0], hw[1], size) : px;
  }

  List<byte[]> inputs(int from, int to) {
    List<byte[]> out = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      out.add(input(i));
    }
    return out;
  }

  /** Image {@code i} augmented as the protocol's training does, then cropped. */
  byte[] augmented(int i, Regimen regimen, SplittableRandom rng) {
    if (!regimen.isChexclusion()) {
      return Augmenter.augment(pixels.get(i), size, rng);
    }
    int[] hw = shapes.get(i);
    return cropped(i, Augmenter.flipRotate(pixels.get(i), hw[0], hw[1], regimen.rotationDegrees(), rng));
  }

  /** Class index for a softmax head, or the multi-hot vector for disease, into {@code out} at row {@code row}. */
  void target(Head head, int index, float[] out, int row, int classes) {
    switch (head) {
      case DISEASE:
        System.arraycopy(disease.get(index), 0, out, row * classes, classes);
        break;
      case SEX:
        out[row * classes + sex.get(index)] = 1f;
        break;
      default:
        out[row * classes + race.get(index)] = 1f;
    }
  }

  int classOf(Head head, int index) {
    return head == Head.SEX ? sex.get(index) : head == Head.RACE ? race.get(index) : -1;
  }

  /** The example's pixels as the model of {@code spec} takes them (centre-cropped when its recipe says so). */
  static byte[] inputOf(ImageExample e, ModelSpec spec, String what) {
    if (!spec.input().centreCrop()) {
      return pixelsOf(e, spec.imageSize(), what);
    }
    return CentreCrop.of(uncropped(e, spec.imageSize(), what), e.getHeight(), e.getWidth(), spec.imageSize());
  }

  /** All pixels of an image at least {@code size} on each side. */
  private static byte[] uncropped(ImageExample e, int size, String what) {
    int h = e.getHeight();
    int w = e.getWidth();
    if (h < size || w < size) {
      throw new IllegalArgumentException(what + " example " + e.getId() + " is " + h + "x" + w
          + ", smaller than the model's " + size + "x" + size + " centre crop");
    }
    return bytes(e, h * w, what);
  }

  static byte[] pixelsOf(ImageExample e, int size, String what) {
    if (e.getHeight() != size || e.getWidth() != size) {
      throw new IllegalArgumentException(what + " example " + e.getId() + " is " + e.getHeight() + "x"
          + e.getWidth() + " but the model takes " + size + "x" + size + " images");
    }
    return bytes(e, size * size, what);
  }

  private static byte[] bytes(ImageExample e, int expected, String what) {
    ByteBuffer buf = e.getPixels().duplicate();
    if (buf.remaining() != expected) {
      throw new IllegalArgumentException(what + " example " + e.getId() + " has " + buf.remaining()
          + " pixel bytes, expected " + expected);
    }
    byte[] p = new byte[expected];
    buf.get(p);
    return p;
  }

  private static int label(Integer v, boolean required, int classes, String field, String id, String what) {
    if (!required) {
      return v == null ? 0 : v;
    }
    if (v == null || v < 0 || v >= classes) {
      throw new IllegalArgumentException(what + " example " + id + ": " + field + " is " + v
          + ", expected 0.." + (classes - 1));
    }
    return v;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
