package org.chexaudit.models;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.chexaudit.schemas.ImageExample;

/**
 * Images and targets held in memory for random access (shuffling), with the label policy applied:
 * disease targets are U-zeros (only 1 is positive; 0, -1 and null are 0), sex and race are one-hot.
 * Rejects, naming the example, images of the wrong size and missing sex/race labels.
 */
final class ImageData {
  final int size;
  final List<String> ids = new ArrayList<>();
  final List<byte[]> pixels = new ArrayList<>();
  final List<float[]> disease = new ArrayList<>();
  final List<Integer> sex = new ArrayList<>();
  final List<Integer> race = new ArrayList<>();
  final String fingerprint;

  private ImageData(int size, String fingerprint) {
    this.size = size;
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
    for (ImageExample e : examples) {
      String id = e.getId().toString();
      byte[] p = pixelsOf(e, spec.imageSize(), what);
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
      sha.update(id.getBytes(StandardCharsets.UTF_8));
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
    ImageData data = new ImageData(spec.imageSize(), n + ":" + HexFormat.of().formatHex(sha.digest()));
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

  static byte[] pixelsOf(ImageExample e, int size, String what) {
    if (e.getHeight() != size || e.getWidth() != size) {
      throw new IllegalArgumentException(what + " example " + e.getId() + " is " + e.getHeight() + "x"
          + e.getWidth() + " but the model takes " + size + "x" + size + " images");
    }
    ByteBuffer buf = e.getPixels().duplicate();
    if (buf.remaining() != size * size) {
      throw new IllegalArgumentException(what + " example " + e.getId() + " has " + buf.remaining()
          + " pixel bytes, expected " + size * size);
    }
    byte[] p = new byte[size * size];
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
