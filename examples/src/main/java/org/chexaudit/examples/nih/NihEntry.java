package org.chexaudit.examples.nih;

import java.io.Serializable;
import java.util.List;
import java.util.Set;

/**
 * One row of ChestX-ray14's Data_Entry_2017.csv, reduced to what the audit needs. The dataset's own
 * column names and codings live here, as this example's configuration, not in the transforms.
 */
record NihEntry(String image, String patient, String sex, double age, Set<String> findings) implements Serializable {
  static final String HEADER_START = "Image Index,";
  /** Columns by position in Data_Entry_2017.csv. */
  private static final int IMAGE = 0, FINDINGS = 1, PATIENT = 3, AGE = 4, SEX = 5;

  /** Parses one data line; ChestX-ray14's entry file has no quoted fields. */
  static NihEntry parse(String line) {
    String[] f = line.split(",", -1);
    if (f.length < 6) {
      throw new IllegalArgumentException("Data_Entry line has " + f.length + " fields, expected at least 6: " + line);
    }
    String sex = switch (f[SEX].trim()) {
      case "M" -> "Male";
      case "F" -> "Female";
      default -> null;
    };
    return new NihEntry(f[IMAGE].trim(), f[PATIENT].trim(), sex, Double.parseDouble(f[AGE].trim()),
        Set.copyOf(List.of(f[FINDINGS].trim().split("\\|"))));
  }
}
