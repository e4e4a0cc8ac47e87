package org.chexaudit.pipelines.report;

import org.chexaudit.pipelines.stage.StageOutput;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.options.ReportOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
  @TempDir Path run;

  private static void finishedStage(Path dir, String stage) {
    StageOutput out = StageOutput.begin(stage, dir, false);
    out.commit(Map.of("seed", 1), Map.of("rows", 2));
  }

  @Test
  void reportsEveryFinishedStageWithTablesFiguresAndProvenance() throws Exception {
    StageOutput metrics = StageOutput.begin("metrics", run.resolve("metrics/disease"), false);
    Files.writeString(metrics.tmp().resolve("metrics.csv"), "label,group,auc\nclass_10,<White>,0.912345678\n");
    ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY), "png", metrics.tmp().resolve("roc.png").toFile());
    metrics.commit(Map.of("thresholdRule", "fpr:0.2"), Map.of("rows", 1));
    finishedStage(run.resolve("cohort"), "cohort");
    Files.createDirectories(run.resolve("half-written"));
    Files.writeString(run.resolve("half-written/metrics.csv"), "a\n1\n");

    ReportOptions o = PipelineOptionsFactory.as(ReportOptions.class);
    o.setRun(run.toString());
    o.setOutput(run.resolve("report").toString());
    Path index = ReportCommand.run(o);

    String html = Files.readString(index);
    assertThat(html, containsString("<h2 id=\"cohort\">"));
    assertThat(html, containsString("<h2 id=\"metrics/disease\">"));
    assertThat(html.indexOf("id=\"cohort\""), lessThan(html.indexOf("id=\"metrics/disease\"")));
    assertThat(html, containsString("<td>0.9123</td>"));
    assertThat(html, containsString("&lt;White&gt;"));
    assertThat(html, containsString("src=\"data:image/png;base64,"));
    assertThat(html, containsString("fpr:0.2"));
    assertThat(html, not(containsString("half-written")));
  }
}
