package org.chexaudit.synth;

/** A float greyscale image being painted; values are grey levels, clamped to 0..255 at the end. */
final class Canvas {
  final int width;
  final int height;
  final float[] px;

  Canvas(int width, int height) {
    this.width = width;
    this.height = height;
    this.px = new float[width * height];
  }

  void add(int x, int y, double v) {
    px[y * width + x] += (float) v;
  }

  /** Adds {@code amplitude * inside(ellipse)} with a soft edge, visiting only the bounding box. */
  void addEllipse(Ellipse e, double amplitude, double edge) {
    if (amplitude == 0) {
      return;
    }
    int x0 = Math.max(0, (int) Math.floor(e.cx() - e.rx()));
    int x1 = Math.min(width - 1, (int) Math.ceil(e.cx() + e.rx()));
    int y0 = Math.max(0, (int) Math.floor(e.cy() - e.ry()));
    int y1 = Math.min(height - 1, (int) Math.ceil(e.cy() + e.ry()));
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        double w = e.inside(x, y, edge);
        if (w > 0) {
          px[y * width + x] += (float) (amplitude * w);
        }
      }
    }
  }

  /** Adds a smooth bump {@code amplitude * (1 - r^2)^2} of radius {@code r} pixels. */
  void addBlob(double cx, double cy, double r, double amplitude) {
    int x0 = Math.max(0, (int) Math.floor(cx - r));
    int x1 = Math.min(width - 1, (int) Math.ceil(cx + r));
    int y0 = Math.max(0, (int) Math.floor(cy - r));
    int y1 = Math.min(height - 1, (int) Math.ceil(cy + r));
    double r2 = r * r;
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        double d2 = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / r2;
        if (d2 < 1) {
          double t = 1 - d2;
          px[y * width + x] += (float) (amplitude * t * t);
        }
      }
    }
  }

  /** Raises pixels within {@code halfWidth} of the point to at least {@code amplitude} (lines). */
  void stampMax(double cx, double cy, double halfWidth, double amplitude) {
    int x0 = Math.max(0, (int) Math.floor(cx - halfWidth - 1));
    int x1 = Math.min(width - 1, (int) Math.ceil(cx + halfWidth + 1));
    int y0 = Math.max(0, (int) Math.floor(cy - halfWidth - 1));
    int y1 = Math.min(height - 1, (int) Math.ceil(cy + halfWidth + 1));
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        double d = Math.sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));
        double w = clamp01(halfWidth + 0.5 - d);
        float v = (float) (amplitude * w);
        if (v > px[y * width + x]) {
          px[y * width + x] = v;
        }
      }
    }
  }

  /** Adds {@code other * (1 + modulation)} pixel by pixel; {@code modulation} may be null. */
  void addModulated(Canvas other, float[] modulation) {
    for (int i = 0; i < px.length; i++) {
      float v = other.px[i];
      if (v != 0) {
        px[i] += modulation == null ? v : v * (1 + modulation[i]);
      }
    }
  }

  /** Rounds to 8-bit grey, clamped to 0..255. */
  byte[] toGrey() {
    byte[] out = new byte[px.length];
    for (int i = 0; i < px.length; i++) {
      int v = Math.round(px[i]);
      out[i] = (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
    }
    return out;
  }

  static double clamp01(double v) {
    return v < 0 ? 0 : v > 1 ? 1 : v;
  }
}
