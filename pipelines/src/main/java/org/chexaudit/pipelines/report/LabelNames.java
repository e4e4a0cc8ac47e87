package org.chexaudit.pipelines.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Human names for the {@code class_i} columns of a task's predictions: CheXpert's observations for the
 * disease task ({@code datafiles/chexpert/labels.txt}), Male/Female for sex and White/Asian/Black for race
 * (the cohort's {@code sex.labels} and {@code race-mapping.csv} codes). A label that is not
 * {@code class_i}, or a task not known here, is shown as it is.
 */
final class LabelNames {
  private static final Pattern CLASS = Pattern.compile("class_(\\d+)");
  private static final Map<String, List<String>> BY_TASK = Map.of(
      "disease", readLabels("/datafiles/chexpert/labels.txt"),
      "sex", List.of("Male", "Female"),
      "race", List.of("White", "Asian", "Black"));

  private LabelNames() {}

  /** The task of a stage folder named as the audit names them: {@code race}, {@code race-split}, {@code disease-resample}. */
  static String task(String stageName) {
    String last = stageName.substring(stageName.lastIndexOf('/') + 1);
    int dash = last.indexOf('-');
    return dash < 0 ? last : last.substring(0, dash);
  }

  static String name(String task, String label) {
    Matcher m = CLASS.matcher(label);
    List<String> names = BY_TASK.get(task);
    if (!m.matches() || names == null) {
      return label;
    }
    int i = Integer.parseInt(m.group(1));
    return i < names.size() ? names.get(i) : label;
  }

  private static List<String> readLabels(String resource) {
    try (InputStream in = LabelNames.class.getResourceAsStream(resource)) {
      if (in == null) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (!line.isBlank() && !line.startsWith("#")) {
            out.add(line.strip());
          }
        }
      }
      return List.copyOf(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
