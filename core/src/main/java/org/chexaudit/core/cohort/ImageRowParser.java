package org.chexaudit.core.cohort;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.chexaudit.schemas.CohortRecord;

/**
 * Turns one row of an images CSV (CheXpert's {@code train.csv}) into a {@link CohortRecord} with the
 * columns chexploration derives from it: patient id, {@code path_preproc}, labels, sex label and the
 * 3-class disease. Demographics and split are filled in by later steps.
 */
public final class ImageRowParser implements Serializable {
  private static final long serialVersionUID = 1L;

  private final CohortSpec spec;
  private final List<String> header;
  private final int pathCol;
  private final int sexCol;
  private final int ageCol;
  private final int viewCol;
  private final int projectionCol;
  private final int[] labelCols;
  private final int positiveLabel;
  private final int normalLabel;

  /** Thrown for a row that cannot be turned into a record; becomes a dead letter. */
  public static final class BadRowException extends Exception {
    public BadRowException(String message) {
      super(message);
    }
  }

  /**
   * @throws IllegalArgumentException naming every required column the header lacks
   */
  public ImageRowParser(CohortSpec spec, List<String> header) {
    this.spec = spec;
    this.header = List.copyOf(header);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      index.putIfAbsent(header.get(i), i);
    }
    List<String> required = new ArrayList<>(
        List.of(spec.pathColumn, spec.sexColumn, spec.ageColumn, spec.viewColumn, spec.projectionColumn));
    required.addAll(spec.labels);
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
    labelCols = spec.labels.stream().mapToInt(index::get).toArray();
    positiveLabel = spec.labelIndex(spec.diseasePositiveLabel);
    normalLabel = spec.labelIndex(spec.diseaseNormalLabel);
  }

  public CohortRecord parse(long rowIndex, List<String> fields) throws BadRowException {
    if (fields.size() != header.size()) {
      throw new BadRowException(
          "row has " + fields.size() + " fields but the header has " + header.size());
    }
    String path = fields.get(pathCol);
    String[] parts = path.split("/");
    int seg = spec.patientSegment;
    if (parts.length < seg + 3 || parts[seg].isEmpty() || parts[seg + 1].isEmpty()
        || parts[seg + 2].isEmpty()) {
      throw new BadRowException(
          "malformed path '" + path + "': expected <root>/<folder>/<patient>/<study>/<view file>");
    }
    String preprocName = parts[seg] + "_" + parts[seg + 1] + "_" + parts[seg + 2];
    int dot = preprocName.lastIndexOf('.');
    String id = dot > 0 ? preprocName.substring(0, dot) : preprocName;

    List<Float> labels = new ArrayList<>(labelCols.length);
    for (int i = 0; i < labelCols.length; i++) {
      labels.add(parseLabel(fields.get(labelCols[i]), spec.labels.get(i)));
    }
    String sex = emptyToNull(fields.get(sexCol));
    Integer sexLabel = sex == null ? null : spec.sexLabels.get(sex);

    boolean positive = isOne(labels.get(positiveLabel));
    boolean normal = isOne(labels.get(normalLabel));
    // Notebook order: NF==1 -> No Finding, then PE==1 overrides, else Other (seeds-spec A2).
    int diseaseLabel = positive ? 1 : normal ? 0 : 2;
    String disease =
        positive ? spec.diseasePositiveLabel : normal ? spec.diseaseNormalLabel : "Other";

    return CohortRecord.newBuilder()
        .setId(id)
        .setRowIndex(rowIndex)
        .setPatientId(parts[seg])
        .setPath(path)
        .setPathPreproc(spec.preprocPrefix + preprocName)
        .setSex(sex)
        .setAge(parseAge(fields.get(ageCol)))
        .setFrontalLateral(emptyToNull(fields.get(viewCol)))
        .setApPa(emptyToNull(fields.get(projectionCol)))
        .setLabels(labels)
        .setSexLabel(sexLabel)
        .setDisease(disease)
        .setDiseaseLabel(diseaseLabel)
        .setAttributes(new HashMap<>())
        .build();
  }

  private static boolean isOne(Float v) {
    return v != null && v == 1f;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static Float parseLabel(String raw, String column) throws BadRowException {
    switch (raw.trim()) {
      case "":
        return null;
      case "1":
      case "1.0":
        return 1f;
      case "0":
      case "0.0":
        return 0f;
      case "-1":
      case "-1.0":
        return -1f;
      default:
        throw new BadRowException(
            "unknown label value '" + raw + "' in column '" + column + "' (expected 1.0, 0.0, -1.0 or blank)");
    }
  }

  private static Integer parseAge(String raw) throws BadRowException {
    String s = raw.trim();
    if (s.isEmpty()) {
      return null;
    }
    try {
      double v = Double.parseDouble(s);
      if (v != Math.rint(v) || v < 0 || v > 150) {
        throw new BadRowException("age '" + raw + "' is not a whole number of years in 0..150");
      }
      return (int) v;
    } catch (NumberFormatException e) {
      throw new BadRowException("age '" + raw + "' is not a number");
    }
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
