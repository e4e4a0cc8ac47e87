package org.chexaudit.core.explore;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Disease prevalence per race after resampling: the check table chexpert.resample.ipynb prints
 * (rows: races in order of appearance; columns: diseases by label; cells: row fractions).
 */
public record PrevalenceTable(List<String> races, List<String> diseases, double[][] fractions)
    implements Serializable {

  public PrevalenceTable {
    races = List.copyOf(races);
    diseases = List.copyOf(diseases);
    fractions = Arrays.stream(fractions).map(double[]::clone).toArray(double[][]::new);
  }

  /** Fraction of the rows of {@code race} that have {@code disease}. */
  public double fraction(String race, String disease) {
    int r = races.indexOf(race);
    int d = diseases.indexOf(disease);
    if (r < 0 || d < 0) {
      throw new IllegalArgumentException("no cell (" + race + ", " + disease + ") in " + races
          + " x " + diseases);
    }
    return fractions[r][d];
  }

  /** Text as the notebook shows it: two decimals, one row per race. */
  public String format() {
    int width = Math.max(4, races.stream().mapToInt(String::length).max().orElse(4));
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", "race"));
    for (String d : diseases) {
      sb.append("  ").append(d);
    }
    sb.append('\n');
    for (int r = 0; r < races.size(); r++) {
      sb.append(String.format(Locale.ROOT, "%-" + width + "s", races.get(r)));
      for (int d = 0; d < diseases.size(); d++) {
        String cell = String.format(Locale.ROOT, "%.2f", fractions[r][d]);
        sb.append("  ").append(String.format(Locale.ROOT, "%" + diseases.get(d).length() + "s", cell));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PrevalenceTable t && races.equals(t.races) && diseases.equals(t.diseases)
        && Arrays.deepEquals(fractions, t.fractions);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * races.hashCode() + diseases.hashCode()) + Arrays.deepHashCode(fractions);
  }

  @Override
  public String toString() {
    return format();
  }
}
