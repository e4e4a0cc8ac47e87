package org.chexaudit.pipelines.options;

import org.chexaudit.models.Regimen;

/** {@code train --protocol}, spelled as on the command line so that Beam parses it. */
public enum Protocol {
  chexploration(Regimen.Protocol.CHEXPLORATION),
  chexclusion(Regimen.Protocol.CHEXCLUSION);

  private final Regimen.Protocol regimen;

  Protocol(Regimen.Protocol regimen) {
    this.regimen = regimen;
  }

  /** The training regimen's protocol. */
  public Regimen.Protocol regimen() {
    return regimen;
  }
}
