package org.chexaudit.pipelines.report;

import org.chexaudit.pipelines.cli.Cli;
import org.chexaudit.pipelines.stage.StageOutput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.chexaudit.pipelines.options.ReportOptions;
import org.chexaudit.transforms.io.Resources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.chexaudit.pipelines.stage.OptionsManifest;

/**
 * The {@code report} command: {@code <output>/index.html}, one self-contained page with a run's findings,
 * its interactive figures and, collapsed, every finished stage's tables and provenance; with
 * {@code --compare}, a second run beside it. It reads small files only (a stage's tables, plots and
 * manifests; for the ROC figures, the predictions file a metrics stage names), so it runs in the launcher
 * process rather than as a distributed job. Every folder is a Beam path ({@code hdfs://...} too), read and
 * written through {@link Resources}.
 */
public final class ReportCommand {
  private static final Logger LOG = LoggerFactory.getLogger(ReportCommand.class);
  static final String COMMAND = "report";
  /** The order in which a study's stages are shown. */
  static final List<String> STAGE_ORDER = List.of(
      "synth", "cohort", "images", "models", "predictions", "resample", "metrics", "explore");

  private ReportCommand() {}

  public static void main(String[] args) {
    Cli.run(COMMAND, args, ReportOptions.class,
        options -> LOG.info("report: " + Resources.path(run(options))));
  }

  static Set<String> controls(ReportOptions options) {
    String c = options.getNegativeControls();
    return c == null ? Set.of() : Arrays.stream(c.split(",")).map(String::strip).filter(x -> !x.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  /** Writes the report; returns its {@code index.html}. */
  public static ResourceId run(ReportOptions options) {
    ResourceId run = Resources.dir(options.getRun());
    if (!Resources.hasFiles(run)) {
      throw new IllegalArgumentException("--run " + options.getRun() + ": no such folder");
    }
    ResourceId compare = options.getCompare() == null || options.getCompare().isEmpty() ? null
        : Resources.dir(options.getCompare());
    if (compare != null && !Resources.hasFiles(compare)) {
      throw new IllegalArgumentException("--compare " + options.getCompare() + ": no such folder");
    }
    StageOutput out = StageOutput.begin(COMMAND, Resources.absolute(options.getOutput()), options.getOverwrite());
    try {
      String page = HtmlReport.render(options.getTitle(), run, STAGE_ORDER, compare, controls(options));
      Resources.writeString(out.file("index.html"), page);
      Map<String, Object> counts = new LinkedHashMap<>();
      counts.put("stages", HtmlReport.stages(run, STAGE_ORDER).size());
      counts.put("bytes", page.length());
      Map<String, Object> opts = OptionsManifest.of(options, ReportOptions.class);
      opts.put("run", Resources.path(run));
      opts.put("compare", compare == null ? null : Resources.path(compare));
      opts.put("echarts", PageScripts.echartsVersion());
      out.commit(opts, counts);
      return out.file("index.html");
    } catch (IOException e) {
      out.abort();
      throw new UncheckedIOException("cannot write the report: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      out.abort();
      throw e;
    }
  }
}
