package org.chexaudit.pipelines.options;

/**
 * The datasets CheXclusion audits. Constants are spelled as on the command line so that Beam parses
 * {@code --dataset=mimic} itself and lists the allowed values when one is wrong.
 */
public enum Dataset {
  cxp, mimic, nih, all
}
