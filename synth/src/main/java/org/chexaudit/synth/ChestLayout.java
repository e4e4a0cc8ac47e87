package org.chexaudit.synth;

import java.util.List;

/**
 * Where the anatomy of one image lies, in pixels. Body proportions come from the patient's own
 * stream (so a patient looks alike in every study) plus a small per-image shift. None of it depends
 * on sex, race, age or labels: those act only through the planted signals.
 */
final class ChestLayout {
  final int width;
  final int height;
  final boolean frontal;
  final Ellipse body;
  /** Frontal: [patient's right lung (image left), left lung]; lateral: one lung field. */
  final List<Ellipse> lungs;
  final Ellipse heart;
  /** Upper mediastinum: centre x, half width, top and bottom y. */
  final double mediastinumX;
  final double mediastinumHalfWidth;
  final double mediastinumTop;
  final double mediastinumBottom;
  final double spineX;
  final double spineHalfWidth;
  /** Vertical rib spacing in pixels. */
  final double ribSpacing;

  ChestLayout(ImageSpec spec, long seed) {
    width = spec.width();
    height = spec.height();
    frontal = spec.frontal();
    SynthRandom anatomy = SynthRandom.of(seed, spec.patient(), StreamKeys.ANATOMY);
    double lungScale = anatomy.uniform(0.92, 1.08);
    double heartScale = anatomy.uniform(0.9, 1.1);
    double bodyScale = anatomy.uniform(0.95, 1.05);
    SynthRandom view = SynthRandom.of(seed, spec.patient(), StreamKeys.ANATOMY, spec.study(),
        spec.view());
    double sx = view.uniform(-0.02, 0.02);
    double sy = view.uniform(-0.02, 0.02);
    double w = width;
    double h = height;
    if (frontal) {
      body = new Ellipse((0.5 + sx) * w, (0.56 + sy) * h, 0.47 * bodyScale * w, 0.56 * h);
      lungs = List.of(
          new Ellipse((0.31 + sx) * w, (0.46 + sy) * h, 0.15 * lungScale * w, 0.29 * lungScale * h),
          new Ellipse((0.69 + sx) * w, (0.46 + sy) * h, 0.14 * lungScale * w, 0.28 * lungScale * h));
      heart = new Ellipse((0.55 + sx) * w, (0.66 + sy) * h, 0.13 * heartScale * w,
          0.11 * heartScale * h);
      mediastinumX = (0.5 + sx) * w;
      mediastinumHalfWidth = 0.055 * w;
      mediastinumTop = (0.12 + sy) * h;
      spineX = (0.5 + sx) * w;
    } else {
      body = new Ellipse((0.5 + sx) * w, (0.56 + sy) * h, 0.40 * bodyScale * w, 0.54 * h);
      lungs = List.of(
          new Ellipse((0.52 + sx) * w, (0.45 + sy) * h, 0.27 * lungScale * w, 0.30 * lungScale * h));
      heart = new Ellipse((0.40 + sx) * w, (0.64 + sy) * h, 0.14 * heartScale * w,
          0.12 * heartScale * h);
      mediastinumX = (0.45 + sx) * w;
      mediastinumHalfWidth = 0.05 * w;
      mediastinumTop = (0.15 + sy) * h;
      spineX = (0.80 + sx) * w;
    }
    mediastinumBottom = heart.cy() - 0.5 * heart.ry();
    spineHalfWidth = 0.035 * w;
    ribSpacing = 0.075 * h;
  }

  /** Which way is lateral (away from the midline) for a lung: -1 image-left, +1 image-right. */
  int lateralSign(int lung) {
    if (!frontal) {
      return 1;
    }
    return lung == 0 ? -1 : 1;
  }

  /** Short side in pixels, the unit for sizes that should look the same on any aspect ratio. */
  double unit() {
    return Math.min(width, height);
  }
}
