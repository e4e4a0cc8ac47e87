package org.chexaudit.pipelines.report;

/** The element ids findings link to, shared by {@link Findings} and {@link HtmlReport}. */
final class Anchors {
  private Anchors() {}

  static String id(String... parts) {
    return String.join("-", parts).replaceAll("[^A-Za-z0-9_-]+", "_");
  }

  static String encodingFigure() {
    return "fig-encoding";
  }

  static String metricsTable(String stage) {
    return id("tab", stage, "metrics");
  }

  static String ratesFigure(String stage, String label, String attribute) {
    return id("fig-rates", stage, label, attribute);
  }

  /** The block of one label's figures (rates, gaps, ROC) in a metrics stage. */
  static String labelFigures(String stage, String label) {
    return id("fig-label", stage, label);
  }

  static String gapsFigure(String stage, String attribute) {
    return id("fig-gaps", stage, attribute);
  }

  static String shareFigure(String stage, String attribute) {
    return id("fig-share", stage, attribute);
  }

  static String disparityTable(String stage) {
    return id("tab", stage, "disparity");
  }

  static String ksTable(String stage) {
    return id("tab", stage, "ks");
  }

  static String embeddingFigures(String stage) {
    return id("fig-embedding", stage);
  }
}
