package org.chexaudit.pipelines.report;

import org.chexaudit.pipelines.stage.StageOutput;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.chexaudit.core.stats.Correlation;
import org.chexaudit.transforms.io.Resources;

/**
 * Renders a run folder as one self-contained HTML page that opens from disk with no network: the
 * findings first (sentences generated from the run's tables, each linked to its figure and table), then
 * the figures that answer the study's questions (interactive ECharts, inlined from its WebJar, and the
 * explore stage's joint PNG plots), an optional comparison with a second run, and last, collapsed,
 * every stage's counts, tables, PNG exports and provenance. The run folder is any Beam path, read
 * through {@link Resources}.
 */
final class HtmlReport {
  /** Tables longer than this show their first rows and say how many there are. */
  static final int MAX_TABLE_ROWS = 60;
  /** CSVs with more columns than this (embeddings, predictions) are listed, not rendered. */
  static final int MAX_TABLE_COLUMNS = 24;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Map<Finding.Topic, String> QUESTIONS = Map.of(
      Finding.Topic.ENCODING, "Can the models tell race and sex?",
      Finding.Topic.PERFORMANCE, "How well does the disease model detect each label?",
      Finding.Topic.GAP, "Where do TPR and FPR differ between subgroups at the operating point?",
      Finding.Topic.EMBEDDING, "Do the embeddings differ between groups?",
      Finding.Topic.SHARE, "Does a group's gap follow its share of positives?");

  /** How deep under the run folder a stage's manifest may lie ({@code run/a/b/c/_MANIFEST.json}). */
  private static final int STAGE_DEPTH = 4;
  private final StringBuilder html = new StringBuilder();
  private final ResourceId run;

  private HtmlReport(ResourceId run) {
    this.run = run;
  }

  /**
   * @param compare a second run folder to put beside this one, or null
   * @param controls negative-control label names, e.g. "Fracture"
   */
  static String render(String title, ResourceId run, List<String> stageOrder, ResourceId compare,
      Set<String> controls) throws IOException {
    HtmlReport r = new HtmlReport(run);
    List<ResourceId> stages = stages(run, stageOrder);
    List<MetricsStage> metrics = new ArrayList<>();
    List<ExploreStage> explore = new ArrayList<>();
    for (ResourceId s : stages) {
      if (MetricsStage.isOne(s)) {
        metrics.add(MetricsStage.read(run, s));
      }
      if (ExploreStage.isOne(s)) {
        explore.add(ExploreStage.read(run, s));
      }
    }
    List<MetricsStage> encoding = metrics.stream().filter(m -> m.task().equals("sex") || m.task().equals("race")).toList();
    List<MetricsStage> disease = metrics.stream().filter(m -> !encoding.contains(m)).toList();
    r.head(title);
    r.contents(compare != null);
    r.findings(Findings.of(metrics, explore, controls));
    r.encoding(encoding);
    r.gaps(disease);
    r.embeddings(explore);
    r.share(disease);
    r.calibration(disease);
    r.roc(metrics);
    r.training(stages);
    if (compare != null) {
      r.html.append(RunComparison.html(run, compare, stageOrder));
    }
    r.details(stages);
    r.html.append("</main><script>").append(PageScripts.charts()).append("</script></body></html>\n");
    return r.html.toString();
  }

  /** Stage folders (those with a manifest) under {@code run}, in {@code order} first. */
  static List<ResourceId> stages(ResourceId run, List<String> order) throws IOException {
    List<ResourceId> found = new ArrayList<>();
    String glob = StageOutput.MANIFEST;
    for (int depth = 1; depth <= STAGE_DEPTH; depth++) {
      for (MatchResult.Metadata m : Resources.list(run, glob)) {
        ResourceId dir = m.resourceId().getCurrentDirectory();
        String folder = dir.getFilename() == null ? "" : dir.getFilename();
        if (!folder.startsWith(".") && !folder.equals("report")) {
          found.add(dir);
        }
      }
      glob = "*/" + glob;
    }
    found.sort(java.util.Comparator.comparing(Resources::path));
    List<ResourceId> ordered = new ArrayList<>();
    for (String name : order) {
      for (ResourceId p : found) {
        if (relative(run, p).startsWith(name) && !ordered.contains(p)) {
          ordered.add(p);
        }
      }
    }
    found.stream().filter(p -> !ordered.contains(p)).forEach(ordered::add);
    return ordered;
  }

  private void head(String title) {
    html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
        .append(esc(title)).append("</title><script>").append(PageScripts.errors()).append("</script><style>")
        .append("body{font-family:system-ui,sans-serif;margin:0;color:#222;line-height:1.45}")
        .append("main{max-width:1500px;margin:auto;padding:1em 2em}")
        .append("h1{border-bottom:2px solid #444}h2{margin-top:2em;border-bottom:1px solid #bbb}h3{margin-top:1.4em}")
        .append("table{border-collapse:collapse;font-size:12px;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}")
        .append("th{background:#f0f0f0}td:first-child,th:first-child{text-align:left}")
        .append("img{max-width:100%;border:1px solid #ddd}pre{background:#f7f7f7;padding:.5em;font-size:11px;overflow:auto}")
        .append(".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:12px}")
        .append(".chart{width:100%;min-width:0;border:1px solid #eee}.grid.pngs{grid-template-columns:repeat(auto-fill,minmax(360px,1fr))}.pngs figure{margin:0}figcaption{font-size:11px;color:#666}")
        .append("ul.findings{padding-left:1.2em}ul.findings li{margin:.3em 0}.num{font-variant-numeric:tabular-nums;font-weight:600}")
        .append("li.evidence::marker{color:#c0392b}li.control{color:#555}.badge{font-size:10px;background:#eee;border-radius:3px;padding:0 4px;margin-right:4px}")
        .append("a.link{font-size:11px;margin-left:.4em}details{margin:.5em 0}summary{cursor:pointer}")
        .append("nav a{margin-right:.8em}.note{color:#666;font-size:12px}")
        .append("</style><script>").append(PageScripts.echarts()).append("</script></head><body><main>\n")
        .append("<h1>").append(esc(title)).append("</h1>\n<p class=\"note\">Run folder: <code>")
        .append(esc(Resources.path(run))).append("</code>. Every number below is read from, or computed")
        .append(" from, the run's CSV files; intervals are 95%. A difference is called one only when its interval")
        .append(" excludes no difference.</p>\n");
  }

  private void contents(boolean compare) {
    html.append("<nav><a href=\"#findings\">Findings</a><a href=\"#encoding\">Race and sex</a>")
        .append("<a href=\"#gaps\">TPR/FPR by group</a><a href=\"#embeddings\">Embeddings</a>")
        .append("<a href=\"#share\">Gap vs share</a><a href=\"#calibration\">Calibration</a><a href=\"#roc\">ROC</a>")
        .append("<a href=\"#training\">Training</a>").append(compare ? "<a href=\"#compare\">Comparison</a>" : "")
        .append("<a href=\"#details\">Details</a></nav>\n");
  }

  private void findings(List<Finding> all) {
    html.append("<h2 id=\"findings\">Findings</h2>\n");
    if (all.isEmpty()) {
      html.append("<p>No metrics or explore stage finished in this run.</p>\n");
    }
    for (Finding.Topic topic : Finding.Topic.values()) {
      List<Finding> of = all.stream().filter(f -> f.topic() == topic).toList();
      if (of.isEmpty()) {
        continue;
      }
      html.append("<h3>").append(esc(QUESTIONS.get(topic))).append("</h3>\n<ul class=\"findings\">\n");
      of.stream().filter(f -> !f.control() && f.verdict() != Finding.Verdict.NO_EVIDENCE).forEach(this::finding);
      of.stream().filter(Finding::control).forEach(this::finding);
      List<Finding> none = of.stream().filter(f -> !f.control() && f.verdict() == Finding.Verdict.NO_EVIDENCE).toList();
      if (none.size() > 4) {
        html.append("<li><details><summary>").append(none.size())
            .append(" comparisons with no evidence of a difference</summary><ul class=\"findings\">\n");
        none.forEach(this::finding);
        html.append("</ul></details></li>\n");
      } else {
        none.forEach(this::finding);
      }
      html.append("</ul>\n");
    }
  }

  private void finding(Finding f) {
    String cls = f.control() ? "control" : f.verdict() == Finding.Verdict.EVIDENCE ? "evidence" : "none";
    html.append("<li class=\"finding ").append(cls).append("\">");
    if (f.control()) {
      html.append("<span class=\"badge\">control</span>");
    }
    html.append(f.html());
    if (f.figure() != null) {
      html.append("<a class=\"link\" href=\"#").append(esc(f.figure())).append("\">figure</a>");
    }
    if (f.table() != null) {
      html.append("<a class=\"link\" href=\"#").append(esc(f.table())).append("\">table</a>");
    }
    html.append("</li>\n");
  }

  private void encoding(List<MetricsStage> stages) throws IOException {
    html.append("<h2 id=\"encoding\">Can the models tell race and sex?</h2>\n");
    if (stages.isEmpty()) {
      html.append("<p>No race or sex model was evaluated in this run.</p>\n");
      return;
    }
    html.append("<p class=\"note\">From the images: a model trained to predict the attribute. From frozen disease")
        .append(" features (SPLIT): the disease model's backbone frozen, only a new head trained.</p>\n");
    html.append(Charts.encoding(stages).html());
    for (MetricsStage m : stages) {
      table(m.name() + "/metrics.csv", m.metrics(), Anchors.metricsTable(m.name()), m);
    }
  }

  private void gaps(List<MetricsStage> stages) throws IOException {
    html.append("<h2 id=\"gaps\">TPR and FPR by subgroup</h2>\n");
    for (MetricsStage m : stages) {
      CsvTable t = m.metrics();
      html.append("<h3>").append(esc(m.name())).append("</h3>\n<p class=\"note\">").append(esc(m.thresholdPhrase()))
          .append(", per group, with bootstrap 95% intervals. Hover for counts; click a legend entry to hide it.</p>\n");
      for (String label : distinct(t, "label")) {
        html.append("<div id=\"").append(esc(Anchors.labelFigures(m.name(), label))).append("\" class=\"grid\">\n");
        for (String attribute : distinct(t, "attribute")) {
          if (!attribute.equals("all")) {
            html.append(Charts.rates(m, label, attribute).html());
          }
        }
        html.append("</div>\n");
      }
      if (m.disparity() != null) {
        html.append("<div class=\"grid\">\n");
        for (String attribute : distinct(m.disparity(), "attribute")) {
          html.append(Charts.gaps(m, attribute).html());
        }
        html.append("</div>\n");
      }
      table(m.name() + "/metrics.csv", t, Anchors.metricsTable(m.name()), m);
      if (m.disparity() != null) {
        table(m.name() + "/disparity.csv", m.disparity(), Anchors.disparityTable(m.name()), m);
      }
    }
  }

  private void embeddings(List<ExploreStage> stages) throws IOException {
    html.append("<h2 id=\"embeddings\">Do the embeddings differ between groups?</h2>\n");
    for (ExploreStage e : stages) {
      html.append("<h3>").append(esc(e.name())).append("</h3>\n<p class=\"note\">Two-sample KS tests of PCA modes")
          .append(" and logits between groups, Benjamini-Yekutieli adjusted; joint plots of the sampled test set.</p>\n");
      table(e.name() + "/ks_tests.csv", e.ks(), Anchors.ksTable(e.name()), null);
      html.append("<div id=\"").append(esc(Anchors.embeddingFigures(e.name()))).append("\" class=\"grid pngs\">\n");
      for (MatchResult.Metadata png : Resources.list(e.dir(), "*.png")) {
        figure(png.resourceId().getFilename(), bytes(png.resourceId()));
      }
      html.append("</div>\n");
    }
  }

  private void share(List<MetricsStage> stages) {
    html.append("<h2 id=\"share\">Does a group's gap follow its share of positives?</h2>\n<div class=\"grid\">\n");
    for (MetricsStage m : stages) {
      if (m.disparity() == null) {
        continue;
      }
      for (String attribute : distinct(m.disparity(), "attribute")) {
        List<List<String>> rows = Findings.shareRows(m.disparity(), attribute);
        String r = "Pearson r not defined (fewer than 3 label-group pairs)";
        if (rows.size() >= 3) {
          Correlation c = Findings.gapShareCorrelation(m.disparity(), rows);
          r = "Pearson r " + Finding.format(c.r(), 2) + " (p " + Finding.formatP(c.p()) + ", " + rows.size() + " pairs)";
        }
        html.append(Charts.gapVsShare(m, attribute, r).html());
      }
    }
    html.append("</div>\n");
  }

  private void calibration(List<MetricsStage> stages) {
    html.append("<h2 id=\"calibration\">Calibration</h2>\n<div class=\"grid\">\n");
    for (MetricsStage m : stages) {
      CsvTable c = m.calibration();
      if (c == null || !c.hasColumns("mean_predicted", "fraction_positive")) {
        continue;
      }
      for (String label : distinct(c, "label")) {
        for (String attribute : distinct(c, "attribute")) {
          if (!attribute.equals("all") && !attribute.contains("*")) {
            html.append(Charts.reliability(m, label, attribute).html());
          }
        }
      }
    }
    html.append("</div>\n");
  }

  private void roc(List<MetricsStage> stages) throws IOException {
    html.append("<h2 id=\"roc\">ROC curves by subgroup</h2>\n<div class=\"grid\">\n");
    for (MetricsStage m : stages) {
      Map<String, Map<String, List<RocCurves.Curve>>> curves = RocCurves.of(Resources.dir(run, m.name()));
      if (curves.isEmpty()) {
        html.append("<p class=\"note\">").append(esc(m.name()))
            .append(": no ROC points in its metrics.avro; its ROC PNGs are under Details.</p>\n");
      }
      curves.forEach((label, byAttribute) -> byAttribute.forEach((attribute, c) -> {
        if (!c.isEmpty()) {
          html.append(Charts.roc(m, label, attribute, c).html());
        }
      }));
    }
    html.append("</div>\n");
  }

  private void training(List<ResourceId> stages) throws IOException {
    html.append("<h2 id=\"training\">Training curves</h2>\n<div class=\"grid\">\n");
    for (ResourceId s : stages) {
      ResourceId log = Resources.file(s, "training_log.csv");
      if (Resources.exists(log)) {
        String name = relative(run, s);
        CsvTable t = CsvTable.read(name + "/training_log.csv", log);
        if (t.hasColumns("epoch", "train_loss", "val_loss") && !t.rows().isEmpty()) {
          html.append(Charts.training(name, t).html());
        }
      }
    }
    html.append("</div>\n");
  }

  /** Every stage, collapsed: counts, tables, PNG exports, provenance. */
  private void details(List<ResourceId> stages) throws IOException {
    html.append("<h2 id=\"details\">Details</h2>\n<p class=\"note\">Each finished stage: counts, every table,")
        .append(" its PNG exports, and its provenance (inputs with hashes, options, code version, time taken).</p>\n");
    for (ResourceId stage : stages) {
      stage(stage);
    }
  }

  private void stage(ResourceId dir) throws IOException {
    String name = relative(run, dir);
    Map<?, ?> manifest = StageOutput.readManifest(Resources.path(dir));
    html.append("<details id=\"").append(esc(name)).append("\"><summary><b>").append(esc(name)).append("</b>: stage ")
        .append(esc(String.valueOf(manifest.get("stage")))).append(", finished ")
        .append(esc(String.valueOf(manifest.get("finished")))).append(" in ")
        .append(esc(String.valueOf(manifest.get("seconds")))).append(" s, code ")
        .append(esc(String.valueOf(manifest.get("version")))).append("</summary>\n");
    if (manifest.get("counts") != null) {
      html.append("<pre>").append(esc(JSON.writeValueAsString(manifest.get("counts")))).append("</pre>\n");
    }
    // the files in the folder and one level below, by path, as a walk of depth 2 would give them
    List<ResourceId> files = new ArrayList<>();
    for (String glob : List.of("*", "*/*")) {
      Resources.list(dir, glob).stream().map(MatchResult.Metadata::resourceId).filter(f -> !f.isDirectory())
          .forEach(files::add);
    }
    files.sort(java.util.Comparator.comparing(Resources::path));
    List<ResourceId> pngs = files.stream().filter(p -> Resources.path(p).endsWith(".png")).toList();
    if (!pngs.isEmpty() && !ExploreStage.isOne(dir)) {
      html.append("<div class=\"grid pngs\">\n");
      for (ResourceId png : pngs) {
        figure(relative(dir, png), bytes(png));
      }
      html.append("</div>\n");
    }
    for (ResourceId csv : files.stream().filter(p -> Resources.path(p).endsWith(".csv")).toList()) {
      String rel = relative(run, csv);
      table(rel, CsvTable.read(rel, csv), null, null);
    }
    for (ResourceId json : files.stream().filter(p -> "summary.json".equals(p.getFilename())).toList()) {
      html.append("<details><summary>").append(esc(relative(dir, json))).append("</summary><pre>")
          .append(esc(Resources.readString(json))).append("</pre></details>\n");
    }
    html.append("<details><summary>provenance (inputs, options)</summary><pre>")
        .append(esc(JSON.writeValueAsString(Map.of(
            "inputs", String.valueOf(manifest.get("inputs")), "options", String.valueOf(manifest.get("options"))))))
        .append("</pre></details></details>\n");
  }

  /** {@code file}'s path below the folder {@code dir}, as {@code Path.relativize} gives it ("" for dir itself). */
  static String relative(ResourceId dir, ResourceId file) {
    String base = Resources.path(dir);
    String p = Resources.path(file);
    if (p.equals(base)) {
      return "";
    }
    if (!p.startsWith(base + "/")) {
      throw new IllegalArgumentException(p + " is not under " + base);
    }
    return p.substring(base.length() + 1);
  }

  private static byte[] bytes(ResourceId file) throws IOException {
    try (InputStream in = Resources.open(file)) {
      return in.readAllBytes();
    }
  }

  private void figure(String caption, byte[] png) {
    html.append("<figure><img alt=\"").append(esc(caption)).append("\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(png))
        .append("\"><figcaption>").append(esc(caption)).append("</figcaption></figure>\n");
  }

  /**
   * A CSV as a collapsed table; {@code id} makes it a link target. With a metrics stage, {@code class_i}
   * labels are shown with their names beside them.
   */
  private void table(String name, CsvTable t, String id, MetricsStage names) {
    if (t.header().isEmpty()) {
      return;
    }
    html.append("<details");
    if (id != null) {
      html.append(" id=\"").append(esc(id)).append("\"");
    }
    html.append("><summary>").append(esc(name)).append(" (").append(t.rows().size()).append(" rows)</summary>");
    if (t.header().size() > MAX_TABLE_COLUMNS) {
      html.append("<p>").append(t.rows().size()).append(" rows × ").append(t.header().size())
          .append(" columns (not shown)</p></details>\n");
      return;
    }
    html.append("<table><tr>");
    t.header().forEach(h -> html.append("<th>").append(esc(h)).append("</th>"));
    html.append("</tr>\n");
    int labelColumn = t.header().indexOf("label");
    for (List<String> row : t.rows().subList(0, Math.min(MAX_TABLE_ROWS, t.rows().size()))) {
      html.append("<tr>");
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        String shown = i == labelColumn && names != null && !names.labelName(cell).equals(cell)
            ? names.labelName(cell) + " (" + cell + ")" : shortNumber(cell);
        html.append("<td>").append(esc(shown)).append("</td>");
      }
      html.append("</tr>\n");
    }
    html.append("</table>");
    if (t.rows().size() > MAX_TABLE_ROWS) {
      html.append("<p>first ").append(MAX_TABLE_ROWS).append(" of ").append(t.rows().size()).append(" rows</p>");
    }
    html.append("</details>\n");
  }

  private static List<String> distinct(CsvTable t, String column) {
    Set<String> out = new LinkedHashSet<>();
    t.rows().forEach(r -> out.add(t.get(r, column)));
    return List.copyOf(out);
  }

  /** Shows long decimals with 4 digits after the point; leaves other text alone. */
  static String shortNumber(String s) {
    if (s.matches("-?\\d+\\.\\d{5,}")) {
      return String.format(Locale.ROOT, "%.4f", Double.parseDouble(s));
    }
    return s;
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
