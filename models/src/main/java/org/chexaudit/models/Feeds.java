package org.chexaudit.models;

import java.util.List;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/** Builds input tensors from Java arrays. */
final class Feeds {
  private Feeds() {}

  /** uint8 {@code [n, size, size]} from n row-major images. */
  static TUint8 images(List<byte[]> images, int size) {
    byte[] all = new byte[images.size() * size * size];
    for (int i = 0; i < images.size(); i++) {
      System.arraycopy(images.get(i), 0, all, i * size * size, size * size);
    }
    return TUint8.tensorOf(Shape.of(images.size(), size, size), DataBuffers.of(all, true, false));
  }

  static TFloat32 matrix(float[] values, int rows, int cols) {
    return TFloat32.tensorOf(Shape.of(rows, cols), DataBuffers.of(values, true, false));
  }

  static TFloat32 vector(float[] values) {
    return TFloat32.tensorOf(Shape.of(values.length), DataBuffers.of(values, true, false));
  }

  static float[] read(org.tensorflow.Tensor t) {
    TFloat32 f = (TFloat32) t;
    float[] out = new float[(int) f.size()];
    f.copyTo(DataBuffers.of(out, false, false));
    return out;
  }
}
