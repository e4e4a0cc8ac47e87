package org.chexaudit.core.stats;

import java.io.Serializable;

/**
 * Chooses an operating threshold from a labelled, scored sample. A sample is predicted positive
 * when {@code score >= threshold}. Rules are serializable so Beam workers can re-apply them in
 * every bootstrap replicate.
 */
public interface ThresholdRule extends Serializable {

  /** The threshold for the sample summarised by {@code curve}. */
  double choose(BinaryCurve curve);

  /**
   * The rule as a best curve point, so it can be applied to a curve split into score segments; null
   * for a rule that does not look at the curve (a fixed value), whose {@link #choose} then returns the
   * same threshold for any curve.
   */
  default CurvePointRule pointRule() {
    return null;
  }

  /** The rule in the {@link #parse} syntax, e.g. {@code fpr:0.2}. */
  String describe();

  /** Convenience: the threshold for labels {@code y} and scores {@code s}. */
  default double choose(int[] y, double[] s) {
    return choose(BinaryCurve.of(y, s));
  }

  /**
   * Parses {@code fpr:X} (closest FPR to X), {@code fpr} (X = 0.2), {@code maxf1} (maximum F1
   * on the sample it is applied to), {@code youden}, or {@code value:X}.
   */
  static ThresholdRule parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("threshold rule is empty; expected fpr:X, maxf1, youden or value:X");
    }
    String t = text.trim();
    String name = t.contains(":") ? t.substring(0, t.indexOf(':')) : t;
    String arg = t.contains(":") ? t.substring(t.indexOf(':') + 1) : null;
    switch (name) {
      case "fpr":
        return arg == null ? FprTargetRule.of(FprTargetRule.DEFAULT_TARGET) : FprTargetRule.of(number(t, arg));
      case "maxf1":
        return MaxF1Rule.create();
      case "youden":
        return YoudenRule.create();
      case "value":
        if (arg == null) {
          throw new IllegalArgumentException("threshold rule '" + t + "' needs a value, e.g. value:0.5");
        }
        return FixedThresholdRule.of(number(t, arg));
      default:
        throw new IllegalArgumentException(
            "unknown threshold rule '" + t + "'; expected fpr:X, maxf1, youden or value:X");
    }
  }

  private static double number(String rule, String arg) {
    try {
      return Double.parseDouble(arg);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("threshold rule '" + rule + "': '" + arg + "' is not a number", e);
    }
  }
}
