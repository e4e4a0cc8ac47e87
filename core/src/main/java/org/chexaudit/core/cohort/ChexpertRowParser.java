package org.chexaudit.core.cohort;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses rows of a CheXpert images CSV ({@code train.csv}, {@code valid.csv}) into {@link ChexpertRow}s:
 * the path split into patient, study and view file, sex, age, frontal/lateral, AP/PA and the labels.
 * The one reader of this format: the chexploration cohort ({@link ImageRowParser}) and CheXclusion's
 * CheXpert adapter both derive their records from its rows.
 *
 * <p>Cells are taken as written (pandas, which both originals use, does not strip them), except label
 * and age cells, which are numbers.
 */
public final class ChexpertRowParser implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<String> labelNames;
  private final int fieldCount;
  private final int patientSegment;
  private final int pathCol;
  private final int sexCol;
  private final int ageCol;
  private final int viewCol;
  private final int projectionCol;
  private final int[] labelCols;

  /**
   * Reads the columns {@code spec} names and the given labels from a file with this header.
   *
   * @throws IllegalArgumentException naming every required column the header lacks
   */
  public ChexpertRowParser(CohortSpec spec, List<String> labels, List<String> header) {
    this.labelNames = List.copyOf(labels);
    this.fieldCount = header.size();
    this.patientSegment = spec.patientSegment;
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      index.putIfAbsent(header.get(i), i);
    }
    List<String> required = new ArrayList<>(
        List.of(spec.pathColumn, spec.sexColumn, spec.ageColumn, spec.viewColumn, spec.projectionColumn));
    required.addAll(labels);
    List<String> missing = required.stream().filter(c -> !index.containsKey(c)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "images CSV lacks required column(s) " + missing + "; its header is " + header + delimiterHint(header));
    }
    pathCol = index.get(spec.pathColumn);
    sexCol = index.get(spec.sexColumn);
    ageCol = index.get(spec.ageColumn);
    viewCol = index.get(spec.viewColumn);
    projectionCol = index.get(spec.projectionColumn);
    labelCols = labels.stream().mapToInt(index::get).toArray();
  }

  /** The label names, in the order of {@link ChexpertRow#labels()}. */
  public List<String> labels() {
    return labelNames;
  }

  public ChexpertRow parse(List<String> fields) throws ImageRowParser.BadRowException {
    if (fields.size() != fieldCount) {
      throw new ImageRowParser.BadRowException(
          "row has " + fields.size() + " fields but the header has " + fieldCount);
    }
    String path = fields.get(pathCol);
    String[] parts = path.split("/");
    int seg = patientSegment;
    if (parts.length < seg + 3 || parts[seg].isEmpty() || parts[seg + 1].isEmpty()
        || parts[seg + 2].isEmpty()) {
      throw new ImageRowParser.BadRowException(
          "malformed path '" + path + "': expected <root>/<folder>/<patient>/<study>/<view file>");
    }
    List<Float> labels = new ArrayList<>(labelCols.length);
    for (int i = 0; i < labelCols.length; i++) {
      labels.add(label(fields.get(labelCols[i]), labelNames.get(i)));
    }
    return new ChexpertRow(path, parts[seg], parts[seg + 1], parts[seg + 2],
        emptyToNull(fields.get(sexCol)), age(fields.get(ageCol)),
        emptyToNull(fields.get(viewCol)), emptyToNull(fields.get(projectionCol)), labels);
  }

  /**
   * A label cell in CheXpert's coding: 1 positive, 0 negative, -1 uncertain, blank (null) not mentioned.
   * Any spelling of those numbers is accepted ({@code 1}, {@code 1.0}, {@code 1.00}), as pandas reads
   * them as floats; CheXpert and the MIMIC-CXR CheXpert labeller write {@code 1.0}, {@code 0.0},
   * {@code -1.0}.
   */
  public static Float label(String raw, String column) throws ImageRowParser.BadRowException {
    String s = raw.trim();
    switch (s) {
      case "":
        return null;
      case "1.0":
      case "1":
        return 1f;
      case "0.0":
      case "0":
        return 0f;
      case "-1.0":
      case "-1":
        return -1f;
      default:
        try {
          double v = Double.parseDouble(s);
          if (v == 1 || v == 0 || v == -1) {
            return (float) v;
          }
        } catch (NumberFormatException e) {
          // reported below
        }
        throw new ImageRowParser.BadRowException("unknown label value '" + raw + "' in column '" + column
            + "' (expected 1.0, 0.0, -1.0 or blank)");
    }
  }

  private static Integer age(String raw) throws ImageRowParser.BadRowException {
    String s = raw.trim();
    if (s.isEmpty()) {
      return null;
    }
    double v;
    try {
      v = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new ImageRowParser.BadRowException("age '" + raw + "' is not a number");
    }
    if (v != Math.rint(v) || v < 0 || v > 150) {
      throw new ImageRowParser.BadRowException("age '" + raw + "' is not a whole number of years in 0..150");
    }
    return (int) v;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** A header read as one column that holds ';' or a tab was written with another delimiter. */
  static String delimiterHint(List<String> header) {
    if (header.size() == 1) {
      for (String d : List.of(";", "\t", "|")) {
        if (header.get(0).contains(d)) {
          return " (one column holding '" + (d.equals("\t") ? "\\t" : d)
              + "': the file seems delimited by it; CheXpert CSVs are comma-separated)";
        }
      }
    }
    return "";
  }
}
