package org.chexaudit.pipelines.report;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.options.ReportOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a report in headless Chromium from disk, with every network request made to fail, at 1280 and
 * 1920 px, and checks what a person would see: no script, resource or console error; every chart drawn
 * (a canvas of nonzero size); the findings' numbers equal to the CSV cells they cite. Needs
 * {@code chromium} on the PATH ({@code .ci/run} installs Debian's package before the slow suites).
 */
@Tag("slow")
class ReportBrowserTest {
  private static final Pattern CHART = Pattern.compile(
      "<div class=\"chart\" id=\"([^\"]+)\"[^>]*?data-rendered=\"(\\d+)x(\\d+)\"[^>]*>(.*?)<script", Pattern.DOTALL);
  private static final Pattern CHART_DIV = Pattern.compile("<div class=\"chart\" id=\"([^\"]+)\"");
  private static final Pattern NUM = Pattern.compile("<span class=\"num\" data-csv=\"([^\"]+)\" data-row=\"([^\"]*)\""
      + " data-col=\"([^\"]+)\" data-value=\"([^\"]*)\">([^<]+)</span>");

  @TempDir Path tmp;

  private static List<String> chromium(Path profile, String... args) {
    List<String> cmd = new ArrayList<>(List.of(System.getenv().getOrDefault("CHROMIUM", "chromium"),
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
        // any request leaving the machine fails, and errors.js records the failed load
        "--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
        "--virtual-time-budget=10000", "--user-data-dir=" + profile));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static String exec(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat("chromium did not finish in time", p.waitFor(120, TimeUnit.SECONDS), is(true));
    return out;
  }

  private Path report(Path run, Path compare) {
    ReportOptions o = PipelineOptionsFactory.as(ReportOptions.class);
    o.setRun(run.toString());
    o.setCompare(compare.toString());
    o.setOutput(run.resolve("report").toString());
    return org.chexaudit.transforms.io.Resources.localPath(ReportCommand.run(o));
  }

  @Test
  void reportLoadsOfflineWithoutErrorsAndDrawsEveryFigureAt1280And1920() throws Exception {
    Path run = ReportFixture.write(tmp.resolve("run"));
    Path index = report(run, ReportFixture.write(tmp.resolve("other")));
    int charts = count(CHART_DIV.matcher(Files.readString(index)));
    assertThat(charts, greaterThan(8));
    Map<Integer, Integer> encodingWidth = new HashMap<>();
    for (int width : new int[] {1280, 1920}) {
      String dom = exec(chromium(tmp.resolve("profile-" + width), "--window-size=" + width + ",1000", "--dump-dom",
          index.toUri().toString()));
      assertThat(dom, containsString("data-errors=\"0\""));
      assertThat(dom, containsString("data-charts=\"" + charts + "\""));
      Matcher m = CHART.matcher(dom);
      int drawn = 0;
      while (m.find()) {
        assertThat(m.group(1) + " has a canvas", m.group(4), containsString("<canvas"));
        assertThat(m.group(1) + " width", Integer.parseInt(m.group(2)), greaterThan(200));
        assertThat(m.group(1) + " height", Integer.parseInt(m.group(3)), greaterThan(200));
        if (m.group(1).equals(Anchors.encodingFigure())) {
          encodingWidth.put(width, Integer.parseInt(m.group(2)));
        }
        drawn++;
      }
      assertThat(drawn, is(charts));
      assertFindingsCiteTheirCells(run, dom);

      Path shot = tmp.resolve("shot-" + width + ".png");
      exec(chromium(tmp.resolve("shot-profile-" + width), "--window-size=" + width + ",1600",
          "--screenshot=" + shot, index.toUri().toString()));
      BufferedImage image = ImageIO.read(shot.toFile());
      assertThat(image.getWidth(), is(width));
      assertThat(distinctColours(image), greaterThan(50));
    }
    assertThat("charts follow the window", encodingWidth.get(1920), greaterThan(encodingWidth.get(1280)));
  }

  /** Every cited number of the findings equals its CSV cell, and the text shows it rounded. */
  private static void assertFindingsCiteTheirCells(Path run, String dom) throws Exception {
    Matcher m = NUM.matcher(dom);
    int checked = 0;
    while (m.find()) {
      CsvTable t = CsvTable.read(m.group(1), org.chexaudit.transforms.io.Resources.file(run.resolve(m.group(1)).toString()));
      List<String> row = null;
      for (List<String> r : t.rows()) {
        boolean match = true;
        for (String kv : m.group(2).split(";")) {
          String[] p = kv.split("=", 2);
          match &= t.get(r, p[0]).equals(p[1]);
        }
        if (match) {
          row = r;
        }
      }
      assertThat(m.group(0), row != null, is(true));
      String cell = t.get(row, m.group(3));
      assertThat(m.group(0), cell, is(m.group(4)));
      String shown = m.group(5).replace("&lt; ", "< ");
      if (!shown.startsWith("<")) {
        assertThat(m.group(0), Double.parseDouble(shown), closeTo(Double.parseDouble(cell), 0.005));
      } else {
        assertThat(m.group(0), Double.parseDouble(cell) < 0.001, is(true));
      }
      checked++;
    }
    assertThat(checked, greaterThan(20));
  }

  private static int count(Matcher m) {
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static int distinctColours(BufferedImage image) {
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 3) {
      for (int x = 0; x < image.getWidth(); x += 3) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
  }
}
