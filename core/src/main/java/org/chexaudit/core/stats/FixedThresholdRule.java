package org.chexaudit.core.stats;

/** A fixed threshold, e.g. one chosen on a validation set (CheXclusion) and applied to test. */
public final class FixedThresholdRule implements ThresholdRule {
  private static final long serialVersionUID = 1L;
  private final double value;

  private FixedThresholdRule(double value) {
    if (Double.isNaN(value)) {
      throw new IllegalArgumentException("FixedThresholdRule: value is NaN");
    }
    this.value = value;
  }

  public static FixedThresholdRule of(double value) {
    return new FixedThresholdRule(value);
  }

  @Override
  public double choose(BinaryCurve curve) {
    return value;
  }

  @Override
  public String describe() {
    return "value:" + value;
  }
}
