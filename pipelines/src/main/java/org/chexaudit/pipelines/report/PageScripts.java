package org.chexaudit.pipelines.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The scripts the report inlines, so that it opens from disk with no network: ECharts from its WebJar
 * ({@code org.webjars.npm:echarts}, {@code dist/echarts.min.js}), the error recorder that runs first, and
 * the code that draws the charts.
 */
final class PageScripts {
  private static final String WEBJAR = "META-INF/resources/webjars/echarts/";

  private PageScripts() {}

  /** The ECharts version on the classpath, from the WebJar's Maven metadata. */
  static String echartsVersion() {
    Properties p = new Properties();
    try (InputStream in = resource("META-INF/maven/org.webjars.npm/echarts/pom.properties")) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the echarts WebJar's pom.properties", e);
    }
    return p.getProperty("version");
  }

  static String echarts() {
    return read(WEBJAR + echartsVersion() + "/dist/echarts.min.js");
  }

  static String errors() {
    return read("org/chexaudit/pipelines/report/errors.js");
  }

  static String charts() {
    return read("org/chexaudit/pipelines/report/report.js");
  }

  private static InputStream resource(String name) {
    InputStream in = PageScripts.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("report: " + name + " is not on the classpath (the echarts WebJar and the"
          + " report's scripts ship in the jar)");
    }
    return in;
  }

  private static String read(String name) {
    try (InputStream in = resource(name)) {
      // "</script" inside inlined code would end the element early
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("</script", "<\\/script");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }
}
