package org.chexaudit.core.chexclusion;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * CheXclusion's dataset configuration ({@code /datafiles/chexclusion/datasets.properties}): label
 * lists, label-column renames, MIMIC's age-decile bins, missing values, sex strings, the split.
 */
public final class DatasetConfig implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String RESOURCE = "/datafiles/chexclusion/datasets.properties";

  private final Map<String, String> values;

  private DatasetConfig(Map<String, String> values) {
    this.values = values;
  }

  /** The shipped configuration. */
  public static DatasetConfig load() {
    try (InputStream in = DatasetConfig.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + RESOURCE + " not on the classpath (datafiles module)");
      }
      Properties p = new Properties();
      p.load(in);
      Map<String, String> m = new LinkedHashMap<>();
      p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
      return new DatasetConfig(m);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** The |-separated list under {@code key} (empty items kept: they can mean "blank"). */
  public List<String> list(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException(RESOURCE + ": no key '" + key + "'");
    }
    return Arrays.stream(v.split("\\|", -1)).map(String::trim).toList();
  }

  /** The |-separated {@code a:b} pairs under {@code key}, in order. */
  public Map<String, String> pairs(String key) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String item : list(key)) {
      int c = item.indexOf(':');
      if (c <= 0) {
        throw new IllegalArgumentException(RESOURCE + ": '" + key + "' item '" + item + "' is not a:b");
      }
      out.put(item.substring(0, c).trim(), item.substring(c + 1).trim());
    }
    return out;
  }

  public List<String> labels(String dataset) {
    return list(dataset + ".labels");
  }

  public List<Double> splitFractions() {
    return list("split.fractions").stream().map(Double::valueOf).toList();
  }
}
