package org.chexaudit.core.cohort;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

/**
 * Everything that names a column, a label, an allowed value or a fraction when a cohort is built.
 * Loaded from a properties file ({@code datafiles/chexpert/cohort.properties} by default), whose
 * {@code labels} and {@code race.mapping} entries name files beside it, so the same transforms build
 * cohorts of other datasets.
 */
public final class CohortSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The chexploration CheXpert configuration shipped in datafiles/. */
  public static final String CHEXPERT_RESOURCE = "/datafiles/chexpert/cohort.properties";

  public final String pathColumn;
  public final String sexColumn;
  public final String ageColumn;
  public final String viewColumn;
  public final String projectionColumn;
  public final int patientSegment;
  public final List<String> labels;
  public final String demoPatientColumn;
  public final String demoRaceColumn;
  public final String demoEthnicityColumn;
  public final RaceMapping raceMapping;
  public final Set<String> keepEthnicities;
  public final Set<String> keepViews;
  public final Set<String> keepProjections;
  public final Map<String, Integer> sexLabels;
  public final String diseasePositiveLabel;
  public final String diseaseNormalLabel;
  public final String preprocPrefix;
  public final List<Double> splitFractions;
  public final List<String> splitNames;

  private CohortSpec(Properties p, Function<String, BufferedReader> sibling) {
    pathColumn = req(p, "images.pathColumn");
    sexColumn = req(p, "images.sexColumn");
    ageColumn = req(p, "images.ageColumn");
    viewColumn = req(p, "images.viewColumn");
    projectionColumn = req(p, "images.projectionColumn");
    patientSegment = Integer.parseInt(req(p, "images.patientSegment"));
    labels = readLines(sibling.apply(req(p, "images.labels")));
    demoPatientColumn = req(p, "demo.patientColumn");
    demoRaceColumn = req(p, "demo.raceColumn");
    demoEthnicityColumn = req(p, "demo.ethnicityColumn");
    raceMapping = readRaceMapping(sibling.apply(req(p, "race.mapping")));
    keepEthnicities = Set.copyOf(split(req(p, "filter.ethnicity")));
    keepViews = Set.copyOf(split(req(p, "filter.view")));
    keepProjections = Set.copyOf(split(req(p, "filter.projection")));
    Map<String, Integer> sex = new LinkedHashMap<>();
    for (String kv : split(req(p, "sex.labels"))) {
      String[] parts = kv.split(":");
      sex.put(parts[0], Integer.parseInt(parts[1]));
    }
    sexLabels = Map.copyOf(sex);
    diseasePositiveLabel = req(p, "disease.positiveLabel");
    diseaseNormalLabel = req(p, "disease.normalLabel");
    preprocPrefix = req(p, "preproc.prefix");
    splitFractions = split(req(p, "split.fractions")).stream().map(Double::parseDouble).toList();
    splitNames = split(req(p, "split.names"));
    if (splitFractions.size() != splitNames.size()) {
      throw new IllegalArgumentException(
          "split.fractions has " + splitFractions.size() + " values but split.names has "
              + splitNames.size());
    }
    for (String l : List.of(diseasePositiveLabel, diseaseNormalLabel)) {
      if (!labels.contains(l)) {
        throw new IllegalArgumentException("disease label '" + l + "' is not in the label list " + labels);
      }
    }
  }

  /** The shipped CheXpert configuration. */
  public static CohortSpec chexpert() {
    return fromResource(CHEXPERT_RESOURCE);
  }

  /** Loads a configuration from the classpath; sibling files are resolved beside it. */
  public static CohortSpec fromResource(String resource) {
    String dir = resource.substring(0, resource.lastIndexOf('/') + 1);
    return new CohortSpec(
        load(open(resource)), name -> reader(open(dir + name)));
  }

  /** Loads a user's configuration file; sibling files are resolved beside it. */
  public static CohortSpec fromFile(Path file) {
    try {
      Function<String, BufferedReader> sibling =
          name -> {
            try {
              return Files.newBufferedReader(file.resolveSibling(name), StandardCharsets.UTF_8);
            } catch (IOException e) {
              throw new UncheckedIOException("cannot read " + file.resolveSibling(name), e);
            }
          };
      return new CohortSpec(load(Files.newInputStream(file)), sibling);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cohort configuration " + file, e);
    }
  }

  /**
   * Loads a configuration from {@code config} (closed here) whose sibling files {@code sibling} opens by
   * name: for a configuration on a file system other than the local one.
   */
  public static CohortSpec fromStreams(InputStream config, Function<String, BufferedReader> sibling) {
    return new CohortSpec(load(config), sibling);
  }

  public int labelIndex(String label) {
    int i = labels.indexOf(label);
    if (i < 0) {
      throw new IllegalArgumentException("unknown label '" + label + "'; labels are " + labels);
    }
    return i;
  }

  private static InputStream open(String resource) {
    InputStream in = CohortSpec.class.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalArgumentException("resource not found on the classpath: " + resource);
    }
    return in;
  }

  private static BufferedReader reader(InputStream in) {
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  private static Properties load(InputStream in) {
    try (BufferedReader r = reader(in)) {
      Properties p = new Properties();
      p.load(r);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String req(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("cohort configuration lacks '" + key + "'");
    }
    return v.trim();
  }

  private static List<String> split(String v) {
    return Arrays.stream(v.split("\\|")).map(String::trim).toList();
  }

  /** Non-blank lines that do not start with '#'. */
  private static List<String> readLines(BufferedReader r) {
    try (r) {
      List<String> out = new ArrayList<>();
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank() && !line.startsWith("#")) {
          out.add(line.trim());
        }
      }
      return List.copyOf(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static RaceMapping readRaceMapping(BufferedReader r) {
    List<String> lines = readLines(r);
    if (lines.isEmpty() || !lines.get(0).equals("substring,race,label")) {
      throw new IllegalArgumentException("race mapping must start with the header substring,race,label");
    }
    List<RaceMapping.Rule> rules = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      if (f.length != 3) {
        throw new IllegalArgumentException("race mapping row needs 3 fields: '" + line + "'");
      }
      rules.add(new RaceMapping.Rule(f[0], f[1], Integer.parseInt(f[2].trim())));
    }
    return new RaceMapping(rules);
  }
}
