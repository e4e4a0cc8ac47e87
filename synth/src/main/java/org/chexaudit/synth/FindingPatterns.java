package org.chexaudit.synth;

import java.util.List;

/**
 * The planted pattern of each finding, drawn into a separate layer when the label is positive
 * (or, weaker, uncertain). Each pattern is local to a known region, so a check can look there.
 * "No Finding" has no pattern (it is the absence of the others). Fracture has one, but its
 * default strength is 0: it is the negative control, a label with no signal in the pixels.
 */
public final class FindingPatterns {
  private FindingPatterns() {}

  /** Labels that have a pattern, in CheXpert order. */
  public static final List<String> PAINTED = List.of(
      "Enlarged Cardiomediastinum", "Cardiomegaly", "Lung Opacity", "Lung Lesion", "Edema",
      "Consolidation", "Pneumonia", "Atelectasis", "Pneumothorax", "Pleural Effusion",
      "Pleural Other", "Fracture", "Support Devices");

  /**
   * Draws {@code label}'s pattern with grey-level scale {@code s} (the configured strength, times
   * the uncertain factor for -1.0 labels). {@code r} is the study's stream for this label, so every
   * view of a study shows the finding in the same place.
   */
  static void paint(String label, Canvas c, ChestLayout l, double s, SynthRandom r) {
    switch (label) {
      case "Enlarged Cardiomediastinum" -> widenedMediastinum(c, l, 40 * s);
      case "Cardiomegaly" -> enlargedHeart(c, l, 45 * s);
      case "Lung Opacity" -> blotches(c, l, 35 * s, r);
      case "Lung Lesion" -> nodule(c, l, 70 * s, r);
      case "Edema" -> perihilarHaze(c, l, 28 * s);
      case "Consolidation" -> lobarConsolidation(c, l, 50 * s, r);
      case "Pneumonia" -> patchyCluster(c, l, 40 * s, r);
      case "Atelectasis" -> plateLines(c, l, 45 * s, r);
      case "Pneumothorax" -> apicalPneumothorax(c, l, 40 * s, r);
      case "Pleural Effusion" -> basalMeniscus(c, l, 60 * s, r);
      case "Pleural Other" -> lateralThickening(c, l, 40 * s, r);
      case "Fracture" -> ribCallus(c, l, 60 * s, r);
      case "Support Devices" -> tubesAndLines(c, l, 90 * s, r);
      default -> throw new IllegalArgumentException("label '" + label + "' has no pattern");
    }
  }

  /** A bright band either side of the upper mediastinum, widening it by 80%. */
  private static void widenedMediastinum(Canvas c, ChestLayout l, double a) {
    double inner = l.mediastinumHalfWidth;
    double outer = 1.8 * inner;
    for (int y = (int) Math.max(0, l.mediastinumTop); y < Math.min(c.height, l.mediastinumBottom); y++) {
      for (int x = (int) Math.max(0, l.mediastinumX - outer - 2);
          x <= Math.min(c.width - 1, l.mediastinumX + outer + 2); x++) {
        double d = Math.abs(x - l.mediastinumX);
        double w = Canvas.clamp01((outer - d) / 2.0) - Canvas.clamp01((inner - d) / 2.0);
        if (w > 0) {
          c.add(x, y, a * w);
        }
      }
    }
  }

  /** The heart's outline pushed 40% wider and 30% taller: a bigger central opacity. */
  private static void enlargedHeart(Canvas c, ChestLayout l, double a) {
    Ellipse h = l.heart;
    Ellipse big = new Ellipse(h.cx(), h.cy(), 1.4 * h.rx(), 1.3 * h.ry());
    for (int y = (int) Math.max(0, big.top()); y <= Math.min(c.height - 1, big.bottom()); y++) {
      for (int x = (int) Math.max(0, big.cx() - big.rx());
          x <= Math.min(c.width - 1, big.cx() + big.rx()); x++) {
        // Only where the normal heart (same soft edge as the anatomy) is not already opaque.
        double w = big.inside(x, y, 0.1) - h.inside(x, y, ChestImagePainter.HEART_EDGE);
        if (w > 0) {
          c.add(x, y, a * w);
        }
      }
    }
  }

  /** Three to six soft blotches inside the lungs. */
  private static void blotches(Canvas c, ChestLayout l, double a, SynthRandom r) {
    int n = r.intBetween(3, 6);
    for (int i = 0; i < n; i++) {
      double[] p = pointInLung(l, r.nextInt(l.lungs.size()), r, 0.8);
      c.addBlob(p[0], p[1], r.uniform(0.05, 0.09) * l.unit(), a);
    }
  }

  /** One small, sharp-edged round nodule. */
  private static void nodule(Canvas c, ChestLayout l, double a, SynthRandom r) {
    double[] p = pointInLung(l, r.nextInt(l.lungs.size()), r, 0.7);
    double rad = r.uniform(0.025, 0.035) * l.unit();
    c.addEllipse(new Ellipse(p[0], p[1], rad, rad), a, 0.15);
  }

  /** Symmetric haze around both hila ("bat wings"). */
  private static void perihilarHaze(Canvas c, ChestLayout l, double a) {
    for (int i = 0; i < l.lungs.size(); i++) {
      Ellipse lung = l.lungs.get(i);
      double cx = lung.cx() - l.lateralSign(i) * 0.35 * lung.rx();
      c.addBlob(cx, lung.cy() + 0.05 * lung.ry(), 0.75 * Math.min(lung.rx(), lung.ry()) * 1.3, a);
    }
  }

  /** A dense, fairly sharp region in the lower part of one lung. */
  private static void lobarConsolidation(Canvas c, ChestLayout l, double a, SynthRandom r) {
    Ellipse lung = l.lungs.get(r.nextInt(l.lungs.size()));
    Ellipse region = new Ellipse(lung.cx() + r.uniform(-0.2, 0.2) * lung.rx(),
        lung.cy() + 0.45 * lung.ry(), 0.6 * lung.rx(), 0.35 * lung.ry());
    addInsideLung(c, region, lung, a, 0.2);
  }

  /** A cluster of small patches in the middle or lower zone of one lung. */
  private static void patchyCluster(Canvas c, ChestLayout l, double a, SynthRandom r) {
    Ellipse lung = l.lungs.get(r.nextInt(l.lungs.size()));
    double cx = lung.cx() + r.uniform(-0.3, 0.3) * lung.rx();
    double cy = lung.cy() + r.uniform(0.0, 0.4) * lung.ry();
    int n = r.intBetween(8, 14);
    for (int i = 0; i < n; i++) {
      double px = cx + r.uniform(-0.09, 0.09) * l.unit();
      double py = cy + r.uniform(-0.09, 0.09) * l.unit();
      c.addBlob(px, py, r.uniform(0.015, 0.03) * l.unit(), a);
    }
  }

  /** One to three thin, nearly horizontal bright plates in the lower lungs. */
  private static void plateLines(Canvas c, ChestLayout l, double a, SynthRandom r) {
    int n = r.intBetween(1, 3);
    for (int i = 0; i < n; i++) {
      Ellipse lung = l.lungs.get(r.nextInt(l.lungs.size()));
      double y = lung.cy() + r.uniform(0.2, 0.6) * lung.ry();
      double x0 = lung.cx() - 0.6 * lung.rx();
      double x1 = lung.cx() + 0.6 * lung.rx();
      double tilt = r.uniform(-0.08, 0.08);
      double half = 0.006 * l.height;
      for (double x = x0; x <= x1; x += 0.5) {
        c.stampMax(x, y + tilt * (x - x0), half, a);
      }
    }
  }

  /** Apex of one lung collapsed: a dark rim without markings, edged by a bright pleural line. */
  private static void apicalPneumothorax(Canvas c, ChestLayout l, double a, SynthRandom r) {
    int i = r.nextInt(l.lungs.size());
    Ellipse lung = l.lungs.get(i);
    double shift = 0.15 * l.lateralSign(i);
    Ellipse collapsed = new Ellipse(lung.cx() - shift * lung.rx(), lung.cy() + 0.2 * lung.ry(),
        0.8 * lung.rx(), 0.8 * lung.ry());
    int y1 = (int) Math.min(c.height - 1, lung.cy());
    for (int y = (int) Math.max(0, lung.top()); y <= y1; y++) {
      for (int x = (int) Math.max(0, lung.cx() - lung.rx());
          x <= Math.min(c.width - 1, lung.cx() + lung.rx()); x++) {
        double inLung = lung.inside(x, y, 0.05);
        if (inLung <= 0) {
          continue;
        }
        double rc = collapsed.radius(x, y);
        if (rc > 1) {
          c.add(x, y, -a * inLung);
        }
        double line = Canvas.clamp01(1 - Math.abs(rc - 1) * collapsed.rx() / 1.5);
        if (line > 0) {
          c.add(x, y, a * line * inLung);
        }
      }
    }
  }

  /** Bright fluid at the base of one or both lungs, its top curving up laterally (a meniscus). */
  private static void basalMeniscus(Canvas c, ChestLayout l, double a, SynthRandom r) {
    boolean both = r.bernoulli(0.6);
    int first = r.nextInt(l.lungs.size());
    for (int i = 0; i < l.lungs.size(); i++) {
      if (!both && i != first) {
        continue;
      }
      Ellipse lung = l.lungs.get(i);
      double level = r.uniform(0.35, 0.55);
      int sign = l.lateralSign(i);
      double soft = 0.02 * l.height;
      for (int y = (int) Math.max(0, lung.cy()); y <= Math.min(c.height - 1, lung.bottom()); y++) {
        for (int x = (int) Math.max(0, lung.cx() - lung.rx());
            x <= Math.min(c.width - 1, lung.cx() + lung.rx()); x++) {
          // Fluid fills the dark lung field only, with the anatomy's own soft edge.
          double inLung = lung.inside(x, y, ChestImagePainter.LUNG_EDGE);
          if (inLung <= 0) {
            continue;
          }
          double lat = Math.max(-1, Math.min(1, sign * (x - lung.cx()) / lung.rx()));
          double surface = lung.cy() + lung.ry() * (level - 0.35 * lat * Math.abs(lat));
          double fill = Canvas.clamp01((y - surface) / soft);
          if (fill > 0) {
            c.add(x, y, a * fill * inLung);
          }
        }
      }
    }
  }

  /** A thin bright stripe along the lateral wall of one lung. */
  private static void lateralThickening(Canvas c, ChestLayout l, double a, SynthRandom r) {
    int i = r.nextInt(l.lungs.size());
    Ellipse lung = l.lungs.get(i);
    int sign = l.lateralSign(i);
    for (int y = (int) Math.max(0, lung.top()); y <= Math.min(c.height - 1, lung.cy()); y++) {
      for (int x = (int) Math.max(0, lung.cx() - lung.rx());
          x <= Math.min(c.width - 1, lung.cx() + lung.rx()); x++) {
        if (sign * (x - lung.cx()) <= 0) {
          continue;
        }
        double rad = lung.radius(x, y);
        double w = Canvas.clamp01(1 - Math.abs(rad - 0.95) / 0.04);
        if (w > 0) {
          c.add(x, y, a * w);
        }
      }
    }
  }

  /** A healing rib fracture: a small bright callus and a dark gap on a lateral rib. */
  private static void ribCallus(Canvas c, ChestLayout l, double a, SynthRandom r) {
    int i = r.nextInt(l.lungs.size());
    Ellipse lung = l.lungs.get(i);
    double x = lung.cx() + l.lateralSign(i) * 0.75 * lung.rx();
    double y = lung.cy() + r.uniform(-0.5, 0.3) * lung.ry();
    double rad = 0.02 * l.unit();
    c.addBlob(x, y, 2 * rad, a);
    c.addEllipse(new Ellipse(x, y, 0.4 * rad, 1.5 * rad), -0.8 * a, 0.3);
  }

  /** An endotracheal tube, a central line and an ECG lead: thin bright lines and a dot. */
  private static void tubesAndLines(Canvas c, ChestLayout l, double a, SynthRandom r) {
    Canvas lines = new Canvas(c.width, c.height);
    double half = Math.max(0.8, 0.004 * l.unit());
    double tubeX = l.mediastinumX + r.uniform(-0.01, 0.01) * c.width;
    double tubeEnd = l.mediastinumTop + r.uniform(0.1, 0.2) * c.height;
    for (double y = 0; y <= tubeEnd; y += 0.5) {
      lines.stampMax(tubeX, y, half, a);
    }
    // Quadratic Bezier from a shoulder to the superior vena cava.
    double side = r.bernoulli(0.5) ? 0.15 : 0.85;
    double x0 = side * c.width;
    double y0 = 0.12 * c.height;
    double xm = (side + 0.5) / 2 * c.width;
    double ym = 0.2 * c.height;
    double x1 = l.mediastinumX + (side < 0.5 ? -1 : 1) * 0.02 * c.width;
    double y1 = (0.35 + r.uniform(0, 0.1)) * c.height;
    int steps = 2 * (c.width + c.height);
    for (int k = 0; k <= steps; k++) {
      double t = (double) k / steps;
      double bx = (1 - t) * (1 - t) * x0 + 2 * (1 - t) * t * xm + t * t * x1;
      double by = (1 - t) * (1 - t) * y0 + 2 * (1 - t) * t * ym + t * t * y1;
      lines.stampMax(bx, by, half, a);
    }
    double[] p = pointInLung(l, r.nextInt(l.lungs.size()), r, 0.9);
    double dot = 0.015 * l.unit();
    lines.addEllipse(new Ellipse(p[0], p[1], dot, dot), a, 0.2);
    c.addModulated(lines, null);
  }

  /** Adds {@code a} inside {@code region} (soft edge) but only where it overlaps the lung. */
  private static void addInsideLung(Canvas c, Ellipse region, Ellipse lung, double a, double edge) {
    for (int y = (int) Math.max(0, region.top()); y <= Math.min(c.height - 1, region.bottom()); y++) {
      for (int x = (int) Math.max(0, region.cx() - region.rx());
          x <= Math.min(c.width - 1, region.cx() + region.rx()); x++) {
        double w = region.inside(x, y, edge) * lung.inside(x, y, 0.05);
        if (w > 0) {
          c.add(x, y, a * w);
        }
      }
    }
  }

  /** A uniform point inside lung {@code i}, shrunk by {@code scale}. */
  private static double[] pointInLung(ChestLayout l, int i, SynthRandom r, double scale) {
    Ellipse lung = l.lungs.get(i);
    double dx;
    double dy;
    do {
      dx = r.uniform(-1, 1);
      dy = r.uniform(-1, 1);
    } while (dx * dx + dy * dy > 1);
    return new double[] {lung.cx() + scale * dx * lung.rx(), lung.cy() + scale * dy * lung.ry()};
  }
}
