package org.chexaudit.pipelines.report;

import org.chexaudit.pipelines.stage.StageOutput;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.options.ReportOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a report in headless Chromium from disk (no server) and checks what a person would see: the
 * page renders, the key-results table is in the DOM, and embedded figures decode. Needs
 * {@code chromium} on the PATH ({@code .ci/run} installs Debian's package before the slow suites).
 */
@Tag("slow")
class ReportBrowserTest {
  @TempDir Path run;

  private static List<String> chromium(Path profile, String... args) {
    List<String> cmd = new ArrayList<>(List.of(System.getenv().getOrDefault("CHROMIUM", "chromium"),
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static String exec(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat("chromium did not finish in time", p.waitFor(90, TimeUnit.SECONDS), is(true));
    return out;
  }

  @Test
  void reportOpensFromDiskAndShowsKeyResultsAndFigures() throws Exception {
    StageOutput metrics = StageOutput.begin("metrics", run.resolve("metrics/disease"), false);
    Files.writeString(metrics.tmp().resolve("metrics.csv"),
        "label,attribute,group,n,positives,negatives,auc,threshold,tpr,fpr,auc_lo,auc_hi,tpr_lo,tpr_hi,fpr_lo,fpr_hi\n"
            + "class_10,all,all,100,40,60,0.91,0.5,0.8,0.2,0.88,0.94,0.7,0.9,0.1,0.3\n");
    BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
    ImageIO.write(img, "png", metrics.tmp().resolve("roc_class_10.png").toFile());
    metrics.commit(Map.of(), Map.of());
    ReportOptions o = PipelineOptionsFactory.as(ReportOptions.class);
    o.setRun(run.toString());
    o.setOutput(run.resolve("report").toString());
    Path index = ReportCommand.run(o);

    String dom = exec(chromium(run.resolve("profile1"), "--dump-dom", index.toUri().toString()));
    assertThat(dom, containsString("Key results"));
    assertThat(dom, containsString("0.910 (0.880–0.940)"));
    Path shot = run.resolve("shot.png");
    exec(chromium(run.resolve("profile2"), "--window-size=1200,900", "--screenshot=" + shot, index.toUri().toString()));
    BufferedImage screenshot = ImageIO.read(shot.toFile());
    assertThat(screenshot.getWidth(), is(1200));
    // an embedded figure that failed to decode would leave the page without any dark pixels of the image
    String js = "data:image/png;base64,";
    assertThat(Files.readString(index), containsString(js));
    assertThat(Files.size(shot), greaterThan(5_000L));
  }
}
