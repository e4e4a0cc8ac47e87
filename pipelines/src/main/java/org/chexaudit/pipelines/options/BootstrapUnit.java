package org.chexaudit.pipelines.options;

import org.chexaudit.transforms.metrics.Bootstrap;

/** {@code metrics --bootstrapUnit}, spelled as on the command line so that Beam parses it. */
public enum BootstrapUnit {
  image(Bootstrap.Unit.IMAGE),
  patient(Bootstrap.Unit.PATIENT);

  private final Bootstrap.Unit unit;

  BootstrapUnit(Bootstrap.Unit unit) {
    this.unit = unit;
  }

  /** The resampling unit of {@link Bootstrap}. */
  public Bootstrap.Unit unit() {
    return unit;
  }
}
