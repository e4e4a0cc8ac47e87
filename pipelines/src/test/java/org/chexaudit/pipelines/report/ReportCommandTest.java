package org.chexaudit.pipelines.report;

import org.chexaudit.pipelines.stage.StageOutput;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.options.ReportOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
  @TempDir Path tmp;

  private static Path report(Path run, String compare) {
    ReportOptions o = PipelineOptionsFactory.as(ReportOptions.class);
    o.setRun(run.toString());
    o.setOutput(run.resolve("report").toString());
    o.setCompare(compare);
    return org.chexaudit.transforms.io.Resources.localPath(ReportCommand.run(o));
  }

  @Test
  void findingsComeFirstAndLinkToFiguresAndTablesThatExist() throws Exception {
    Path run = ReportFixture.write(tmp.resolve("run"));
    String html = Files.readString(report(run, null));

    int findings = html.indexOf("<h2 id=\"findings\">");
    assertThat(findings, lessThan(html.indexOf("<h2 id=\"encoding\">")));
    assertThat(html.indexOf("<h2 id=\"encoding\">"), lessThan(html.indexOf("<h2 id=\"details\">")));
    assertThat(html, containsString("Female TPR for Pleural Effusion is <span class=\"num\" data-derived=\"true\">0.30</span>"
        + " below Male"));
    assertThat(html, containsString("<span class=\"badge\">control</span>No evidence"));
    assertThat(html, containsString("Race is predictable from the images"));
    assertThat(html, containsString("No evidence that race is predictable from frozen disease features (SPLIT)"));
    // every link target of a finding exists on the page
    java.util.regex.Matcher links = java.util.regex.Pattern.compile("class=\"link\" href=\"#([^\"]+)\"").matcher(html);
    int n = 0;
    while (links.find()) {
      assertThat(links.group(1), html, containsString("id=\"" + links.group(1) + "\""));
      n++;
    }
    assertThat(n > 10, org.hamcrest.Matchers.is(true));
    // ECharts inlined, no network references
    assertThat(html, containsString("echarts"));
    assertThat(html, not(containsString("src=\"http")));
    assertThat(html, not(containsString("href=\"http")));
    String roc = html.substring(html.indexOf("id=\"fig-roc-metrics_disease-Pleural_Effusion-sex\""));
    assertThat(roc.substring(0, roc.indexOf("</script>")), containsString("\"name\":\"operating point\""));
    assertThat(html, containsString("id=\"fig-training-models_disease\""));
    assertThat(html, containsString("White (class_0)"));
  }

  @Test
  void longMaterialIsCollapsedAtTheEnd() throws Exception {
    Path run = ReportFixture.write(tmp.resolve("run"));
    StageOutput cohort = StageOutput.begin("cohort", run.resolve("cohort"), false);
    Files.writeString(cohort.tmp().resolve("summary.json"), "{\"rows\": 2}");
    cohort.commit(Map.of("seed", 1), Map.of("rows", 2));
    Files.createDirectories(run.resolve("half-written"));
    Files.writeString(run.resolve("half-written/metrics.csv"), "a\n1\n");
    String html = Files.readString(report(run, null));

    String details = html.substring(html.indexOf("<h2 id=\"details\">"));
    assertThat(details, containsString("<details id=\"cohort\">"));
    assertThat(details, containsString("<details id=\"metrics/disease\">"));
    assertThat(details.indexOf("id=\"cohort\""), lessThan(details.indexOf("id=\"metrics/disease\"")));
    assertThat(details, containsString("src=\"data:image/png;base64,"));
    assertThat(details, containsString("fpr:0.2"));
    assertThat(html, not(containsString("half-written")));
    assertThat(html, not(containsString("<details open")));
  }

  @Test
  void compareShowsBothRunsTheirDifferenceAndWhetherIntervalsOverlap() throws Exception {
    Path a = ReportFixture.write(tmp.resolve("a"));
    Path b = ReportFixture.write(tmp.resolve("b"));
    // run B: Female TPR for Pleural Effusion improved to 0.75 [0.66, 0.84], apart from A's [0.35, 0.65]
    Path csv = b.resolve("metrics/disease/metrics.csv");
    Files.writeString(csv, Files.readString(csv).replace("Pleural Effusion,sex,Female,180,40,140,0.8,0.4,0.5,0.2,0.72,0.88,0.35,0.65",
        "Pleural Effusion,sex,Female,180,40,140,0.8,0.4,0.75,0.2,0.72,0.88,0.66,0.84"));
    String html = Files.readString(report(a, b.toString()));
    String compare = html.substring(html.indexOf("<h2 id=\"compare\">"), html.indexOf("<h2 id=\"details\">"));
    assertThat(compare, containsString("<td>Pleural Effusion</td><td>sex</td><td>Female</td><td>TPR</td>"
        + "<td>0.500 [0.350, 0.650]</td><td>0.750 [0.660, 0.840]</td><td>0.250</td><td><b>no</b></td>"));
    assertThat(compare, containsString("<td>Pleural Effusion</td><td>sex</td><td>Male</td><td>TPR</td>"
        + "<td>0.800 [0.700, 0.900]</td><td>0.800 [0.700, 0.900]</td><td>0.000</td><td>yes</td>"));
    assertThat(compare, containsString("1 of "));
    assertThat(compare, containsString("id=\"fig-compare-metrics_disease-Pleural_Effusion\""));
  }
}
