package org.chexaudit.synth;

/** An axis-aligned ellipse in pixel coordinates. */
record Ellipse(double cx, double cy, double rx, double ry) {
  /** Normalised radius: below 1 inside, 1 on the boundary. */
  double radius(double x, double y) {
    double dx = (x - cx) / rx;
    double dy = (y - cy) / ry;
    return Math.sqrt(dx * dx + dy * dy);
  }

  /** 1 well inside, 0 outside, a linear ramp of relative width {@code edge} inside the boundary. */
  double inside(double x, double y, double edge) {
    return Canvas.clamp01((1 - radius(x, y)) / edge);
  }

  Ellipse scaled(double f) {
    return new Ellipse(cx, cy, rx * f, ry * f);
  }

  double top() {
    return cy - ry;
  }

  double bottom() {
    return cy + ry;
  }
}
