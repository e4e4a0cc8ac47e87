package org.chexaudit.pipelines.report;

import org.chexaudit.pipelines.stage.StageOutput;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.chexaudit.core.io.CsvReader;

/**
 * Renders a run folder as one static, self-contained HTML page: for every finished stage (a folder
 * with {@code _MANIFEST.json}, found at any depth) its summary, its tables (CSV files), its figures
 * (PNG files, embedded so the page opens from disk with no server) and its provenance (inputs with
 * hashes, options, code version, time taken). Stages appear in the order given, then any others.
 */
final class HtmlReport {
  /** Tables longer than this show their first rows and say how many there are. */
  static final int MAX_TABLE_ROWS = 60;
  /** CSVs with more columns than this (embeddings, predictions) are listed, not rendered. */
  static final int MAX_TABLE_COLUMNS = 24;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final StringBuilder html = new StringBuilder();

  private HtmlReport() {}

  static String render(String title, Path run, List<String> stageOrder) throws IOException {
    HtmlReport r = new HtmlReport();
    r.head(title, run);
    List<Path> stages = stages(run, stageOrder);
    r.keyResults(run, stages);
    r.contents(run, stages);
    for (Path stage : stages) {
      r.stage(run, stage);
    }
    r.html.append("</main></body></html>\n");
    return r.html.toString();
  }

  /** Stage folders (those with a manifest) under {@code run}, in {@code order} first. */
  static List<Path> stages(Path run, List<String> order) throws IOException {
    List<Path> found;
    try (Stream<Path> s = Files.walk(run, 4)) {
      found = s.filter(p -> p.getFileName().toString().equals(StageOutput.MANIFEST))
          .map(Path::getParent)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(p -> !p.getFileName().toString().equals("report"))
          .sorted()
          .toList();
    }
    List<Path> ordered = new ArrayList<>();
    for (String name : order) {
      for (Path p : found) {
        if (run.relativize(p).toString().startsWith(name) && !ordered.contains(p)) {
          ordered.add(p);
        }
      }
    }
    found.stream().filter(p -> !ordered.contains(p)).forEach(ordered::add);
    return ordered;
  }

  private void head(String title, Path run) {
    html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(esc(title)).append("</title><style>")
        .append("body{font-family:system-ui,sans-serif;margin:0;color:#222}main{max-width:1200px;margin:auto;padding:1em 2em}")
        .append("h1{border-bottom:2px solid #444}h2{margin-top:2em;border-bottom:1px solid #bbb}")
        .append("table{border-collapse:collapse;font-size:12px;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}")
        .append("th{background:#f0f0f0}td:first-child,th:first-child{text-align:left}")
        .append("img{max-width:100%;border:1px solid #ddd;margin:4px}pre{background:#f7f7f7;padding:.5em;font-size:11px;overflow:auto}")
        .append(".figs{display:flex;flex-wrap:wrap}.figs figure{width:48%;margin:0}figcaption{font-size:11px;color:#666}")
        .append("details{margin:.5em 0}</style></head><body><main>\n")
        .append("<h1>").append(esc(title)).append("</h1>\n<p>Run folder: <code>")
        .append(esc(run.toAbsolutePath().toString())).append("</code></p>\n");
  }

  private void stage(Path run, Path dir) throws IOException {
    String name = run.relativize(dir).toString();
    Map<?, ?> manifest = StageOutput.readManifest(dir);
    html.append("<h2 id=\"").append(esc(name)).append("\">").append(esc(name)).append("</h2>\n");
    html.append("<p>stage <b>").append(esc(String.valueOf(manifest.get("stage")))).append("</b>, finished ")
        .append(esc(String.valueOf(manifest.get("finished")))).append(" in ")
        .append(esc(String.valueOf(manifest.get("seconds")))).append(" s, code ")
        .append(esc(String.valueOf(manifest.get("version")))).append("</p>\n");
    if (manifest.get("counts") != null) {
      html.append("<details open><summary>counts</summary><pre>")
          .append(esc(JSON.writeValueAsString(manifest.get("counts")))).append("</pre></details>\n");
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir, 2)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    List<Path> figures = files.stream().filter(p -> p.toString().endsWith(".png")).toList();
    Path log = dir.resolve("training_log.csv");
    byte[] curve = Files.isRegularFile(log) ? TrainingCurvePlot.render(name + " training", log) : null;
    if (!figures.isEmpty() || curve != null) {
      html.append("<div class=\"figs\">\n");
      if (curve != null) {
        figure("training curve", curve);
      }
      for (Path png : figures) {
        figure(dir.relativize(png).toString(), Files.readAllBytes(png));
      }
      html.append("</div>\n");
    }
    for (Path csv : files.stream().filter(p -> p.toString().endsWith(".csv")).toList()) {
      table(dir.relativize(csv).toString(), csv);
    }
    for (Path json : files.stream().filter(p -> p.getFileName().toString().equals("summary.json")).toList()) {
      html.append("<details><summary>").append(esc(dir.relativize(json).toString())).append("</summary><pre>")
          .append(esc(Files.readString(json))).append("</pre></details>\n");
    }
    html.append("<details><summary>provenance (inputs, options)</summary><pre>")
        .append(esc(JSON.writeValueAsString(Map.of(
            "inputs", String.valueOf(manifest.get("inputs")), "options", String.valueOf(manifest.get("options"))))))
        .append("</pre></details>\n");
  }

  private void figure(String caption, byte[] png) {
    html.append("<figure><img alt=\"").append(esc(caption)).append("\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(png))
        .append("\"><figcaption>").append(esc(caption)).append("</figcaption></figure>\n");
  }

  /** The headline numbers first: for every metrics stage, each label's whole-set AUC, TPR and FPR. */
  private void keyResults(Path run, List<Path> stages) throws IOException {
    List<Path> metrics = stages.stream().filter(p -> Files.isRegularFile(p.resolve("metrics.csv"))).toList();
    if (metrics.isEmpty()) {
      return;
    }
    html.append("<h2 id=\"key-results\">Key results</h2>\n<p>Whole test set, per model and label: AUC, and TPR/FPR at")
        .append(" the stage's threshold, with bootstrap 95% intervals when computed. Per-subgroup rows are in each")
        .append(" metrics section below.</p>\n<table><tr><th>stage</th><th>label</th><th>n</th><th>positives</th>")
        .append("<th>AUC</th><th>threshold</th><th>TPR</th><th>FPR</th></tr>\n");
    for (Path m : metrics) {
      List<List<String>> rows = readCsv(m.resolve("metrics.csv"), Integer.MAX_VALUE);
      List<String> h = rows.get(0);
      if (!h.containsAll(List.of("label", "attribute", "n", "positives", "auc", "threshold", "tpr", "fpr"))) {
        continue; // not a metrics stage's table
      }
      for (List<String> r : rows.subList(1, rows.size())) {
        if (!"all".equals(r.get(h.indexOf("attribute")))) {
          continue;
        }
        html.append("<tr><td>").append(esc(run.relativize(m).toString())).append("</td><td>")
            .append(esc(r.get(h.indexOf("label")))).append("</td><td>").append(esc(r.get(h.indexOf("n"))))
            .append("</td><td>").append(esc(r.get(h.indexOf("positives")))).append("</td><td>")
            .append(withInterval(r, h, "auc")).append("</td><td>").append(esc(shortNumber(r.get(h.indexOf("threshold")))))
            .append("</td><td>").append(withInterval(r, h, "tpr")).append("</td><td>").append(withInterval(r, h, "fpr"))
            .append("</td></tr>\n");
      }
    }
    html.append("</table>\n");
  }

  private static String withInterval(List<String> row, List<String> header, String column) {
    String v = row.get(header.indexOf(column));
    if (v.isEmpty()) {
      return "";
    }
    String out = String.format(java.util.Locale.ROOT, "%.3f", Double.parseDouble(v));
    int lo = header.indexOf(column + "_lo");
    int hi = header.indexOf(column + "_hi");
    if (lo >= 0 && hi >= 0 && !row.get(lo).isEmpty() && !row.get(hi).isEmpty()) {
      out += String.format(java.util.Locale.ROOT, " (%.3f–%.3f)",
          Double.parseDouble(row.get(lo)), Double.parseDouble(row.get(hi)));
    }
    return esc(out);
  }

  private void contents(Path run, List<Path> stages) {
    html.append("<p>Stages: ");
    for (Path p : stages) {
      String name = run.relativize(p).toString();
      html.append("<a href=\"#").append(esc(name)).append("\">").append(esc(name)).append("</a> ");
    }
    html.append("</p>\n");
  }

  private static List<List<String>> readCsv(Path csv, int maxRows) throws IOException {
    List<List<String>> rows = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8); CsvReader in = new CsvReader(r)) {
      CsvReader.Record rec;
      while ((rec = in.next()) != null && rows.size() <= maxRows) {
        rows.add(rec.fields());
      }
    }
    return rows;
  }

  private void table(String name, Path csv) throws IOException {
    List<List<String>> rows = new ArrayList<>();
    long total = 0;
    try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8); CsvReader in = new CsvReader(r)) {
      CsvReader.Record rec;
      while ((rec = in.next()) != null) {
        if (rows.size() <= MAX_TABLE_ROWS) {
          rows.add(rec.fields());
        }
        total++;
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    if (rows.get(0).size() > MAX_TABLE_COLUMNS) {
      html.append("<p>").append(esc(name)).append(": ").append(total - 1).append(" rows × ")
          .append(rows.get(0).size()).append(" columns (not shown)</p>\n");
      return;
    }
    html.append(total - 1 <= MAX_TABLE_ROWS ? "<details open><summary>" : "<details><summary>")
        .append(esc(name)).append(" (").append(total - 1).append(" rows)</summary><table><tr>");
    rows.get(0).forEach(h -> html.append("<th>").append(esc(h)).append("</th>"));
    html.append("</tr>\n");
    for (List<String> row : rows.subList(1, rows.size())) {
      html.append("<tr>");
      row.forEach(c -> html.append("<td>").append(esc(shortNumber(c))).append("</td>"));
      html.append("</tr>\n");
    }
    html.append("</table>");
    if (total - 1 > MAX_TABLE_ROWS) {
      html.append("<p>first ").append(MAX_TABLE_ROWS).append(" of ").append(total - 1).append(" rows</p>");
    }
    html.append("</details>\n");
  }

  /** Shows long decimals with 4 significant digits after the point; leaves other text alone. */
  static String shortNumber(String s) {
    if (s.matches("-?\\d+\\.\\d{5,}")) {
      return String.format(java.util.Locale.ROOT, "%.4f", Double.parseDouble(s));
    }
    return s;
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
