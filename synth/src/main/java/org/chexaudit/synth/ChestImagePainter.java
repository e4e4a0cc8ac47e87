package org.chexaudit.synth;

/**
 * Paints one synthetic chest radiograph: a chest-like background (body, dark lung fields, heart,
 * mediastinum, spine, ribs, clavicles, smooth shading, noise), then the planted signals:
 * <ul>
 *   <li>sex: Female adds two soft breast shadows over the lower lung fields ({@code sexSignal});
 *   <li>race: a faint grating over the body whose orientation and frequency depend on the race
 *       group ({@code raceSignal});
 *   <li>age: older patients have less dense bones and lower contrast ({@code ageSignal});
 *   <li>findings: each painted label draws its pattern (see {@link FindingPatterns}); with
 *       {@code raceFindingCoupling > 0} the finding layer is multiplied by
 *       {@code 1 + coupling * grating}, so race shows inside the findings themselves.
 * </ul>
 * Each layer draws from its own random stream, so switching an effect off (strength 0) leaves
 * every other pixel exactly as it was.
 */
public final class ChestImagePainter {
  private static final int COS_TABLE_BITS = 12;
  private static final float[] COS = cosTable();
  private static final double BACKGROUND = 18;
  private static final double SOFT_TISSUE = 95;
  private static final double LUNG_DARKENING = 50;
  private static final double HEART = 45;
  private static final double MEDIASTINUM = 35;
  private static final double BONE = 30;
  private static final double RIB = 14;
  private static final double BREAST = 22;
  private static final double RACE_GRATING = 5;
  private static final double CONTRAST_PIVOT = 100;
  /** Soft-edge widths of the anatomy, shared with the findings that fill these regions. */
  static final double LUNG_EDGE = 0.12;
  static final double HEART_EDGE = 0.15;

  private final SynthConfig config;

  public ChestImagePainter(SynthConfig config) {
    this.config = config;
  }

  /** The image as 8-bit grey, row-major, {@code width * height} bytes. */
  public byte[] paint(ImageSpec spec) {
    ChestLayout layout = new ChestLayout(spec, config.seed());
    Canvas c = new Canvas(spec.width(), spec.height());
    double bone = boneDensity(spec.age());
    anatomy(c, layout, bone);
    shadingAndNoise(c, spec);
    if (config.sexSignal() > 0 && spec.sex().equals("Female")) {
      breastShadows(c, layout, BREAST * config.sexSignal());
    }
    float[] grating = config.raceSignal() > 0 || config.raceFindingCoupling() > 0
        ? raceGrating(spec) : null;
    if (config.raceSignal() > 0) {
      addOverBody(c, layout, grating, RACE_GRATING * config.raceSignal());
    }
    Canvas findings = findings(spec, layout);
    if (findings != null) {
      float[] modulation = null;
      if (config.raceFindingCoupling() > 0) {
        modulation = new float[grating.length];
        for (int i = 0; i < grating.length; i++) {
          modulation[i] = (float) (config.raceFindingCoupling() * grating[i]);
        }
      }
      c.addModulated(findings, modulation);
    }
    if (config.ageSignal() > 0) {
      double k = 1 - 0.25 * config.ageSignal() * ageNorm(spec.age());
      for (int i = 0; i < c.px.length; i++) {
        c.px[i] = (float) (CONTRAST_PIVOT + (c.px[i] - CONTRAST_PIVOT) * Math.max(0, k));
      }
    }
    return c.toGrey();
  }

  private static double ageNorm(int age) {
    return Canvas.clamp01((age - 20) / 70.0);
  }

  /** Bone brightness factor: 1 when the age signal is off; down to 0.3 at 90 at strength 1. */
  private double boneDensity(int age) {
    return Math.max(0, 1 - 0.7 * config.ageSignal() * ageNorm(age));
  }

  private static void anatomy(Canvas c, ChestLayout l, double bone) {
    java.util.Arrays.fill(c.px, (float) BACKGROUND);
    c.addEllipse(l.body, SOFT_TISSUE - BACKGROUND, 0.06);
    for (Ellipse lung : l.lungs) {
      c.addEllipse(lung, -LUNG_DARKENING, LUNG_EDGE);
    }
    c.addEllipse(l.heart, HEART, HEART_EDGE);
    for (int y = (int) Math.max(0, l.mediastinumTop); y < Math.min(c.height, l.mediastinumBottom); y++) {
      for (int x = 0; x < c.width; x++) {
        double w = Canvas.clamp01((l.mediastinumHalfWidth - Math.abs(x - l.mediastinumX)) / 3.0);
        if (w > 0) {
          c.add(x, y, MEDIASTINUM * w);
        }
      }
    }
    for (int y = 0; y < c.height; y++) {
      double inBody = l.body.inside(l.spineX, y, 0.06);
      for (int x = (int) Math.max(0, l.spineX - l.spineHalfWidth - 2);
          x <= Math.min(c.width - 1, l.spineX + l.spineHalfWidth + 2); x++) {
        double w = Canvas.clamp01((l.spineHalfWidth - Math.abs(x - l.spineX)) / 2.0);
        if (w > 0) {
          c.add(x, y, BONE * bone * w * inBody);
        }
      }
    }
    ribs(c, l, bone);
    if (l.frontal) {
      clavicles(c, l, bone);
    }
  }

  /** Curved bands across each lung field, repeating every {@code ribSpacing} pixels. */
  private static void ribs(Canvas c, ChestLayout l, double bone) {
    for (Ellipse lung : l.lungs) {
      Ellipse field = lung.scaled(1.05);
      for (int y = (int) Math.max(0, field.top()); y <= Math.min(c.height - 1, field.bottom()); y++) {
        for (int x = (int) Math.max(0, field.cx() - field.rx());
            x <= Math.min(c.width - 1, field.cx() + field.rx()); x++) {
          double in = field.inside(x, y, 0.1);
          if (in <= 0) {
            continue;
          }
          double dx = (x - lung.cx()) / lung.rx();
          double phase = (y + 0.35 * lung.ry() * dx * dx) / l.ribSpacing;
          double frac = phase - Math.floor(phase);
          double band = Canvas.clamp01(1 - Math.abs(frac - 0.5) / 0.18);
          if (band > 0) {
            c.add(x, y, RIB * bone * band * in);
          }
        }
      }
    }
  }

  /** Two slanted bands from the top of the mediastinum towards the shoulders. */
  private static void clavicles(Canvas c, ChestLayout l, double bone) {
    double y0 = l.lungs.get(0).top() + 0.02 * c.height;
    double half = 0.012 * c.height;
    double inner = 0.04 * c.width;
    double outer = 0.32 * c.width;
    for (int x = 0; x < c.width; x++) {
      double d = Math.abs(x - l.mediastinumX);
      if (d < inner || d > outer) {
        continue;
      }
      double y = y0 - 0.04 * c.height * (d - inner) / (outer - inner);
      for (int yy = (int) Math.max(0, Math.floor(y - half));
          yy <= Math.min(c.height - 1, Math.ceil(y + half)); yy++) {
        double w = Canvas.clamp01(1 - Math.abs(yy - y) / half);
        c.add(x, yy, BONE * bone * w);
      }
    }
  }

  /** Smooth low-frequency shading, a vertical gradient and per-pixel noise. */
  private void shadingAndNoise(Canvas c, ImageSpec spec) {
    SynthRandom r = SynthRandom.of(config.seed(), spec.patient(), StreamKeys.IMAGE, spec.study(),
        spec.view(), 1);
    double[] fx = new double[3];
    double[] fy = new double[3];
    double[] ph = new double[3];
    for (int k = 0; k < 3; k++) {
      fx[k] = r.uniform(0.5, 2.5) / c.width;
      fy[k] = r.uniform(0.5, 2.5) / c.height;
      ph[k] = r.nextDouble();
    }
    double shade = 0.6 * config.noise();
    double amp = config.noise();
    for (int y = 0; y < c.height; y++) {
      double gradient = 10 * ((double) y / c.height - 0.5);
      for (int x = 0; x < c.width; x++) {
        double s = 0;
        for (int k = 0; k < 3; k++) {
          s += cos(fx[k] * x + fy[k] * y + ph[k]);
        }
        double n = (r.nextDouble() - 0.5) * amp;
        c.add(x, y, gradient + shade * s / 3 + n);
      }
    }
  }

  private static void breastShadows(Canvas c, ChestLayout l, double a) {
    if (l.frontal) {
      for (int i = 0; i < l.lungs.size(); i++) {
        Ellipse lung = l.lungs.get(i);
        double cx = lung.cx() + l.lateralSign(i) * 0.25 * lung.rx();
        c.addEllipse(new Ellipse(cx, lung.cy() + 0.75 * lung.ry(), 1.1 * lung.rx(), 0.45 * lung.ry()),
            a, 0.35);
      }
    } else {
      c.addEllipse(new Ellipse(l.body.cx() - 0.75 * l.body.rx(), l.body.cy() + 0.2 * l.body.ry(),
          0.3 * l.body.rx(), 0.25 * l.body.ry()), a, 0.35);
    }
  }

  /**
   * A unit-amplitude grating cos(2 pi f (x cos t + y sin t) / unit) whose orientation t and
   * frequency f (cycles per short side) identify the race group; the frequencies stay well below
   * Nyquist after the 224x224 downsizing of the audit.
   */
  private static float[] raceGrating(ImageSpec spec) {
    double angle;
    double cycles;
    switch (spec.race()) {
      case WHITE -> {
        angle = 0;
        cycles = 24;
      }
      case ASIAN -> {
        angle = 60;
        cycles = 30;
      }
      case BLACK -> {
        angle = 120;
        cycles = 36;
      }
      default -> {
        angle = 90;
        cycles = 42;
      }
    }
    double unit = Math.min(spec.width(), spec.height());
    double ax = cycles * StrictMath.cos(StrictMath.toRadians(angle)) / unit;
    double ay = cycles * StrictMath.sin(StrictMath.toRadians(angle)) / unit;
    float[] g = new float[spec.width() * spec.height()];
    for (int y = 0; y < spec.height(); y++) {
      for (int x = 0; x < spec.width(); x++) {
        g[y * spec.width() + x] = cos(ax * x + ay * y);
      }
    }
    return g;
  }

  private static void addOverBody(Canvas c, ChestLayout l, float[] pattern, double a) {
    for (int y = 0; y < c.height; y++) {
      for (int x = 0; x < c.width; x++) {
        double w = l.body.inside(x, y, 0.06);
        if (w > 0) {
          c.add(x, y, a * w * pattern[y * c.width + x]);
        }
      }
    }
  }

  /** The finding layer, or null when nothing is painted. */
  private Canvas findings(ImageSpec spec, ChestLayout layout) {
    Canvas layer = null;
    for (String label : FindingPatterns.PAINTED) {
      double strength = config.findingStrength(label);
      LabelValue v = spec.label(label);
      double s = v == LabelValue.POSITIVE ? strength
          : v == LabelValue.UNCERTAIN ? strength * config.uncertainStrength() : 0;
      if (s <= 0) {
        continue;
      }
      if (layer == null) {
        layer = new Canvas(spec.width(), spec.height());
      }
      SynthRandom r = SynthRandom.of(config.seed(), spec.patient(), StreamKeys.IMAGE, spec.study(),
          1000 + ChexpertFormat.labelIndex(label));
      FindingPatterns.paint(label, layer, layout, s, r);
    }
    return layer;
  }

  /** cos(2 pi t) from a table: fast and identical on every JVM. */
  private static float cos(double turns) {
    double f = turns - Math.floor(turns);
    return COS[(int) (f * (1 << COS_TABLE_BITS)) & ((1 << COS_TABLE_BITS) - 1)];
  }

  private static float[] cosTable() {
    float[] t = new float[1 << COS_TABLE_BITS];
    for (int i = 0; i < t.length; i++) {
      t[i] = (float) StrictMath.cos(2 * StrictMath.PI * i / t.length);
    }
    return t;
  }
}
