package org.chexaudit.synth;

/** Keys that separate the random streams of one patient, so one part never shifts another. */
final class StreamKeys {
  private StreamKeys() {}

  static final long IMAGE_COUNT = 1;
  static final long MEMBERSHIP = 2;
  static final long DEMOGRAPHICS = 3;
  static final long STUDY_LAYOUT = 4;
  static final long STUDY_LABELS = 5;
  static final long ANATOMY = 6;
  static final long IMAGE = 7;
  static final long PLAN = 8;
}
