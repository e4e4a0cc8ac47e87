package org.chexaudit.pipelines.report;

import org.chexaudit.pipelines.cli.Cli;
import org.chexaudit.pipelines.stage.StageOutput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.chexaudit.pipelines.options.ReportOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.chexaudit.pipelines.stage.OptionsManifest;

/**
 * The {@code report} command: {@code <output>/index.html}, one self-contained page with a run's findings,
 * its interactive figures and, collapsed, every finished stage's tables and provenance; with
 * {@code --compare}, a second run beside it. It reads small files only, so it runs in the
 * launcher process rather than as a distributed job.
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
        options -> LOG.info("report: " + run(options).toAbsolutePath()));
  }

  static Set<String> controls(ReportOptions options) {
    String c = options.getNegativeControls();
    return c == null ? Set.of() : Arrays.stream(c.split(",")).map(String::strip).filter(x -> !x.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  public static Path run(ReportOptions options) {
    Path run = Paths.get(options.getRun());
    if (!Files.isDirectory(run)) {
      throw new IllegalArgumentException("--run " + run + ": no such folder");
    }
    Path compare = options.getCompare() == null || options.getCompare().isEmpty() ? null : Paths.get(options.getCompare());
    if (compare != null && !Files.isDirectory(compare)) {
      throw new IllegalArgumentException("--compare " + compare + ": no such folder");
    }
    StageOutput out = StageOutput.begin(COMMAND, Paths.get(options.getOutput()), options.getOverwrite());
    try {
      String page = HtmlReport.render(options.getTitle(), run, STAGE_ORDER, compare, controls(options));
      Files.writeString(out.tmp().resolve("index.html"), page, StandardCharsets.UTF_8);
      Map<String, Object> counts = new LinkedHashMap<>();
      counts.put("stages", HtmlReport.stages(run, STAGE_ORDER).size());
      counts.put("bytes", page.length());
      Map<String, Object> opts = OptionsManifest.of(options, ReportOptions.class);
      opts.put("run", run.toAbsolutePath().toString());
      opts.put("compare", compare == null ? null : compare.toAbsolutePath().toString());
      opts.put("echarts", PageScripts.echartsVersion());
      out.commit(opts, counts);
      return out.tmp().resolve("index.html");
    } catch (IOException e) {
      out.abort();
      throw new UncheckedIOException("cannot write the report: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      out.abort();
      throw e;
    }
  }
}
