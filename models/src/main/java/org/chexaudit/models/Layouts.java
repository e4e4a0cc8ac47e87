package org.chexaudit.models;

/** Converts arrays between PyTorch layout (checkpoint files) and TensorFlow layout (variables). */
final class Layouts {
  private Layouts() {}

  /** PyTorch-ordered values to TensorFlow-ordered values. */
  static float[] toTf(VariableSpec spec, float[] torch) {
    long[] s = spec.torchShape();
    switch (spec.layout()) {
      case CONV: {
        int o = (int) s[0], in = (int) s[1], kh = (int) s[2], kw = (int) s[3];
        float[] tf = new float[torch.length];
        for (int a = 0; a < o; a++) {
          for (int b = 0; b < in; b++) {
            for (int y = 0; y < kh; y++) {
              for (int x = 0; x < kw; x++) {
                tf[((y * kw + x) * in + b) * o + a] = torch[((a * in + b) * kh + y) * kw + x];
              }
            }
          }
        }
        return tf;
      }
      case LINEAR:
        return transpose(torch, (int) s[0], (int) s[1]);
      default:
        return torch.clone();
    }
  }

  /** TensorFlow-ordered values to PyTorch-ordered values. */
  static float[] toTorch(VariableSpec spec, float[] tf) {
    long[] s = spec.torchShape();
    switch (spec.layout()) {
      case CONV: {
        int o = (int) s[0], in = (int) s[1], kh = (int) s[2], kw = (int) s[3];
        float[] torch = new float[tf.length];
        for (int a = 0; a < o; a++) {
          for (int b = 0; b < in; b++) {
            for (int y = 0; y < kh; y++) {
              for (int x = 0; x < kw; x++) {
                torch[((a * in + b) * kh + y) * kw + x] = tf[((y * kw + x) * in + b) * o + a];
              }
            }
          }
        }
        return torch;
      }
      case LINEAR:
        return transpose(tf, (int) s[1], (int) s[0]);
      default:
        return tf.clone();
    }
  }

  /** Transposes a row-major {@code rows x cols} matrix. */
  private static float[] transpose(float[] m, int rows, int cols) {
    float[] t = new float[m.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = m[r * cols + c];
      }
    }
    return t;
  }
}
