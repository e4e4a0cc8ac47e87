package org.chexaudit.models;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chexaudit.schemas.ImageExample;

/**
 * One PyTorch reference of {@code src/test/resources/torch-reference/} (written by
 * {@code src/test/python/make_torch_reference.py}): the model's complete torchvision state dict, rebuilt from
 * the stored tensors and the generated conv weights, and torch's outputs for a few images.
 */
final class TorchReference {
  final String name;
  final List<ImageExample> images = new ArrayList<>();
  final float[][] logits;
  final float[][] probabilities;
  final float[][] embeddings;
  private final Map<String, NamedArray> stateDict = new LinkedHashMap<>();

  private TorchReference(String name) throws IOException {
    this.name = name;
    Map<String, NamedArray> expected = Npz.read(resource(name + ".expected.npz"));
    NamedArray px = expected.get("images");
    int n = (int) px.shape()[0];
    int h = (int) px.shape()[1];
    int w = (int) px.shape()[2];
    for (int i = 0; i < n; i++) {
      byte[] b = new byte[h * w];
      for (int j = 0; j < b.length; j++) {
        b[j] = (byte) (int) px.values()[i * h * w + j];
      }
      images.add(ImageExample.newBuilder().setId(String.format("img%02d", i)).setPatientId("p" + i).setSplit("test")
          .setHeight(h).setWidth(w).setPixels(ByteBuffer.wrap(b)).setLabels(Collections.emptyList()).build());
    }
    logits = rows(expected.get("logits"));
    probabilities = rows(expected.get("probabilities"));
    embeddings = rows(expected.get("embeddings"));
    stateDict.putAll(Npz.read(resource(name + ".tensors.npz")));
    for (String line : Files.readAllLines(resource(name + ".generated.txt"), StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.trim().split(" ");
      long[] shape = Arrays.stream(parts[1].split(",")).mapToLong(Long::parseLong).toArray();
      stateDict.put(parts[0], new NamedArray(parts[0], shape, convValues(parts[0], shape)));
    }
  }

  static TorchReference load(String name) throws IOException {
    return new TorchReference(name);
  }

  /** A copy of the complete state dict, to write or to spoil. */
  Map<String, NamedArray> stateDict() {
    return new LinkedHashMap<>(stateDict);
  }

  Path writeStateDict(Path file) throws IOException {
    Npz.write(file, stateDict);
    return file;
  }

  /**
   * {@code conv_values} of make_torch_reference.py, bit for bit: splitmix64 of fnv1a64(name) + (i+1) * golden,
   * its top 24 bits centred and scaled by 2^(1 - floor(log2(fan_in)) / 2).
   */
  static float[] convValues(String name, long[] shape) {
    long fanIn = 1;
    for (int i = 1; i < shape.length; i++) {
      fanIn *= shape[i];
    }
    int n = (int) (fanIn * shape[0]);
    int k = 63 - Long.numberOfLeadingZeros(fanIn);
    float scale = (float) Math.pow(2, 1 - k / 2);
    float step = scale / (1 << 23);
    long key = fnv1a64(name);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      long z = key + (i + 1L) * 0x9E3779B97F4A7C15L;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      z = z ^ (z >>> 31);
      v[i] = (float) ((z >>> 40) - (1L << 23)) * step;
    }
    return v;
  }

  private static long fnv1a64(String s) {
    long h = 0xCBF29CE484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001B3L;
    }
    return h;
  }

  private static float[][] rows(NamedArray a) {
    int n = (int) a.shape()[0];
    int d = (int) a.shape()[1];
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) {
      out[i] = Arrays.copyOfRange(a.values(), i * d, (i + 1) * d);
    }
    return out;
  }

  static Path resource(String file) {
    try {
      return Path.of(TorchReference.class.getResource("/torch-reference/" + file).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("test resource torch-reference/" + file + " is missing", e);
    }
  }

  /** Largest |a - b| over all entries. */
  static double maxAbsDiff(float[][] a, float[][] b) {
    if (a.length != b.length) {
      throw new AssertionError(a.length + " rows vs " + b.length);
    }
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i].length != b[i].length) {
        throw new AssertionError("row " + i + ": " + a[i].length + " columns vs " + b[i].length);
      }
      for (int j = 0; j < a[i].length; j++) {
        m = Math.max(m, Math.abs((double) a[i][j] - b[i][j]));
      }
    }
    return m;
  }
}
