package org.chexaudit.pipelines.options;

/**
 * {@code synth --format}: the folder layout written. Spelled as on the command line so that Beam parses
 * it and lists the allowed values when one is wrong.
 */
public enum SynthFormat {
  /** train.csv + CHEXPERT DEMO.xlsx + images. */
  chexpert,
  /** MIMIC-CXR-JPG CSVs and files/. */
  mimic,
  /** Data_Entry_2017.csv and images/. */
  nih
}
