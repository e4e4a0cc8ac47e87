package org.chexaudit.pipelines.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One sentence of the report's findings, made of text and numbers. Every number either cites the CSV
 * cell it was read from ({@link Cite}) or is derived from cited ones (a difference, its interval, a
 * correlation), so a reader and the browser test can check it against the run's files. Each finding
 * links to the figure and table that show it.
 */
final class Finding {
  /** Which of the study's questions a finding answers, in the order the report shows them. */
  enum Topic { ENCODING, PERFORMANCE, GAP, EMBEDDING, SHARE }

  /** Whether the interval (or test) excludes "no effect"; a finding without an interval says so. */
  enum Verdict { EVIDENCE, NO_EVIDENCE, NO_INTERVAL }

  /** A cell of a run's CSV: its file (relative to the run), the row's key columns and the column. */
  record Cite(String csv, Map<String, String> row, String column, String raw) {}

  /** A number as shown; {@code cite} is null for a derived number. */
  record Number(double value, String shown, Cite cite) {}

  private final Topic topic;
  private final Verdict verdict;
  private final boolean control;
  private final double estimate;
  private final String figure;
  private final String table;
  private final List<Object> parts;

  private Finding(Topic topic, Verdict verdict, boolean control, double estimate, String figure, String table,
      List<Object> parts) {
    this.topic = topic;
    this.verdict = verdict;
    this.control = control;
    this.estimate = estimate;
    this.figure = figure;
    this.table = table;
    this.parts = List.copyOf(parts);
  }

  static Builder builder(Topic topic) {
    return new Builder(topic);
  }

  Topic topic() {
    return topic;
  }

  Verdict verdict() {
    return verdict;
  }

  /** True for a negative-control label: shown apart, expected to show no evidence. */
  boolean control() {
    return control;
  }

  /** The signed effect the sentence is about (a difference, an AUC, a correlation), for tests and ordering. */
  double estimate() {
    return estimate;
  }

  String figure() {
    return figure;
  }

  String table() {
    return table;
  }

  List<Number> numbers() {
    return parts.stream().filter(Number.class::isInstance).map(Number.class::cast).toList();
  }

  /** The sentence as plain text. */
  String text() {
    return parts.stream().map(p -> p instanceof Number n ? n.shown() : (String) p).collect(Collectors.joining());
  }

  /** The sentence as HTML: numbers in spans that name the CSV cell they come from. */
  String html() {
    StringBuilder b = new StringBuilder();
    for (Object p : parts) {
      if (p instanceof Number n) {
        b.append("<span class=\"num\"");
        if (n.cite() != null) {
          Cite c = n.cite();
          String row = c.row().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining(";"));
          b.append(" data-csv=\"").append(HtmlReport.esc(c.csv())).append("\" data-row=\"").append(HtmlReport.esc(row))
              .append("\" data-col=\"").append(HtmlReport.esc(c.column())).append("\" data-value=\"")
              .append(HtmlReport.esc(c.raw())).append("\"");
        } else {
          b.append(" data-derived=\"true\"");
        }
        b.append(">").append(HtmlReport.esc(n.shown())).append("</span>");
      } else {
        b.append(HtmlReport.esc((String) p));
      }
    }
    return b.toString();
  }

  static String format(double v, int digits) {
    return String.format(Locale.ROOT, "%." + digits + "f", v);
  }

  /** A p-value: 4 decimals below 0.01, else 3; "< 0.001" below 0.001. */
  static String formatP(double p) {
    return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, p < 0.01 ? "%.4f" : "%.3f", p);
  }

  static final class Builder {
    private final Topic topic;
    private final List<Object> parts = new ArrayList<>();
    private Verdict verdict = Verdict.NO_INTERVAL;
    private boolean control;
    private double estimate = Double.NaN;
    private String figure;
    private String table;

    private Builder(Topic topic) {
      this.topic = topic;
    }

    Builder text(String s) {
      parts.add(s);
      return this;
    }

    /** A number read from {@code table}'s {@code column} in {@code row}, identified by {@code key} columns. */
    Builder cited(CsvTable t, List<String> row, String column, int digits, String... key) {
      String raw = t.get(row, column);
      double v = Double.parseDouble(raw);
      parts.add(new Number(v, format(v, digits), new Cite(t.name(), t.key(row, key), column, raw)));
      return this;
    }

    Builder citedP(CsvTable t, List<String> row, String column, String... key) {
      String raw = t.get(row, column);
      double v = Double.parseDouble(raw);
      parts.add(new Number(v, formatP(v), new Cite(t.name(), t.key(row, key), column, raw)));
      return this;
    }

    Builder derived(double v, int digits) {
      parts.add(new Number(v, format(v, digits), null));
      return this;
    }

    Builder derivedP(double p) {
      parts.add(new Number(p, formatP(p), null));
      return this;
    }

    Builder verdict(Verdict v) {
      verdict = v;
      return this;
    }

    Builder control(boolean c) {
      control = c;
      return this;
    }

    Builder estimate(double e) {
      estimate = e;
      return this;
    }

    Builder links(String figureAnchor, String tableAnchor) {
      figure = figureAnchor;
      table = tableAnchor;
      return this;
    }

    Finding build() {
      return new Finding(topic, verdict, control, estimate, figure, table, parts);
    }
  }
}
