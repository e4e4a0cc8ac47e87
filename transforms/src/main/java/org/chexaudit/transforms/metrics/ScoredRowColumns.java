package org.chexaudit.transforms.metrics;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.chexaudit.core.stats.ScoredRow;

/**
 * Which columns of a predictions table make a {@link ScoredRow}: one score and one 0/1 target column
 * per label, the attribute columns, the id and an optional patient column. {@link #bind} resolves
 * them against a header; {@link Bound#row} parses one row, failing on the first bad value with the
 * file, line and column: non-numeric, NaN or infinite scores, targets other than 0/1.
 *
 * <p>A target column may be written {@code column=k} for a one-vs-rest target of a multi-class
 * column: 1 where the column equals k, else 0 (e.g. {@code --targetColumns=target=2} for Black vs
 * rest of a race classifier).
 */
public final class ScoredRowColumns implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A row's fields by column position. */
  public interface Fields {
    /** Field {@code i} as text, "" past the last field. */
    String text(int i);

    /** Field {@code i} as {@link Double#parseDouble} reads its text. */
    default double number(int i) {
      return Double.parseDouble(text(i));
    }
  }

  /** Where a row is, for messages; computed only when one is needed. */
  public interface Where {
    /** e.g. {@code preds.csv line 5}. */
    String describe();
  }

  private final List<String> scoreColumns;
  private final List<String> targetColumns;
  /** Positive class of each target for one-vs-rest ({@code column=k}), or NaN for a 0/1 column. */
  private final double[] positiveClass;
  private final List<String> attributes;
  private final String idColumn;
  private final String patientColumn;

  private ScoredRowColumns(List<String> scoreColumns, List<String> targetColumns, double[] positiveClass,
      List<String> attributes, String idColumn, String patientColumn) {
    this.scoreColumns = scoreColumns;
    this.targetColumns = targetColumns;
    this.positiveClass = positiveClass;
    this.attributes = attributes;
    this.idColumn = idColumn;
    this.patientColumn = patientColumn;
  }

  /**
   * @param targetColumns one per score column, each {@code column} or {@code column=k}
   * @param patientColumn null for none
   */
  public static ScoredRowColumns of(List<String> scoreColumns, List<String> targetColumns, List<String> attributes,
      String idColumn, String patientColumn) {
    if (scoreColumns.size() != targetColumns.size()) {
      throw new IllegalArgumentException("--scoreColumns has " + scoreColumns.size() + " columns but --targetColumns has "
          + targetColumns.size() + ": " + scoreColumns + " vs " + targetColumns);
    }
    List<String> targets = new ArrayList<>();
    double[] positive = new double[targetColumns.size()];
    for (int l = 0; l < targetColumns.size(); l++) {
      String spec = targetColumns.get(l);
      int eq = spec.lastIndexOf('=');
      if (eq > 0) {
        targets.add(spec.substring(0, eq));
        try {
          positive[l] = Double.parseDouble(spec.substring(eq + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--targetColumns entry '" + spec + "': the class after '=' must be a number");
        }
      } else {
        targets.add(spec);
        positive[l] = Double.NaN;
      }
    }
    return new ScoredRowColumns(List.copyOf(scoreColumns), List.copyOf(targets), positive, List.copyOf(attributes),
        idColumn, patientColumn);
  }

  /** How many labels (score and target column pairs) a row has. */
  public int labelCount() {
    return scoreColumns.size();
  }

  public List<String> attributes() {
    return attributes;
  }

  public String idColumn() {
    return idColumn;
  }

  /**
   * Resolves the columns in {@code header} of {@code file}; attribute columns only when
   * {@code attributesHere} (else they come from a groups file), and then the id column may be
   * missing (rows are then named {@code row<line>}).
   */
  public Bound bind(String file, List<String> header, boolean attributesHere) {
    int k = scoreColumns.size();
    int[] idx = new int[2 * k + 2 + attributes.size()];
    for (int l = 0; l < k; l++) {
      idx[l] = column(file, header, scoreColumns.get(l), "--scoreColumns");
      idx[k + l] = column(file, header, targetColumns.get(l), "--targetColumns");
    }
    idx[2 * k] = header.indexOf(idColumn);
    if (idx[2 * k] < 0 && !attributesHere) {
      column(file, header, idColumn, "--idColumn");
    }
    idx[2 * k + 1] = patientColumn == null ? -1 : column(file, header, patientColumn, "--patientColumn");
    for (int a = 0; a < attributes.size(); a++) {
      idx[2 * k + 2 + a] = attributesHere ? column(file, header, attributes.get(a), "--groupColumns") : -1;
    }
    return new Bound(this, idx, attributesHere);
  }

  /** The id column's and attribute columns' positions in a groups file's {@code header}. */
  public int[] bindGroups(String file, List<String> header) {
    int[] i = new int[attributes.size() + 1];
    i[0] = column(file, header, idColumn, "--idColumn");
    for (int a = 0; a < attributes.size(); a++) {
      i[a + 1] = column(file, header, attributes.get(a), "--groupColumns");
    }
    return i;
  }

  private static int column(String file, List<String> header, String name, String option) {
    int i = header.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException(file + ": column '" + name + "' (" + option + ") not found; columns are " + header);
    }
    return i;
  }

  /** The columns resolved against one header. */
  public static final class Bound implements Serializable {
    private static final long serialVersionUID = 1L;
    private final ScoredRowColumns spec;
    private final int[] idx;
    private final boolean attributesHere;
    /** Attribute values are few: one String per distinct value instead of one per row. */
    private transient Map<String, String> values;

    private Bound(ScoredRowColumns spec, int[] idx, boolean attributesHere) {
      this.spec = spec;
      this.idx = idx;
      this.attributesHere = attributesHere;
    }

    /** Whether the table has the id column (else rows are named {@code row<line>}). */
    public boolean hasId() {
      return idx[2 * spec.scoreColumns.size()] >= 0;
    }

    /** The row's id: its id column, or {@code row<line>} without one. */
    public String id(Fields v, long line) {
      int i = idx[2 * spec.scoreColumns.size()];
      return i >= 0 ? v.text(i) : "row" + line;
    }

    /**
     * The row of {@code v} with id {@code id}; attributes from the table, or empty (to be joined)
     * when they come from a groups file.
     */
    public ScoredRow row(Fields v, String id, Where where) {
      int k = spec.scoreColumns.size();
      double[] scores = new double[k];
      int[] targets = new int[k];
      for (int l = 0; l < k; l++) {
        scores[l] = number(v, idx[l], spec.scoreColumns.get(l), where);
        double t = number(v, idx[k + l], spec.targetColumns.get(l), where);
        if (!Double.isNaN(spec.positiveClass[l])) {
          t = t == spec.positiveClass[l] ? 1 : 0;
        }
        if (t != 0 && t != 1) {
          throw new IllegalArgumentException(where.describe() + ", column '" + spec.targetColumns.get(l)
              + "': target '" + v.text(idx[k + l]) + "' is not 0 or 1");
        }
        targets[l] = (int) t;
      }
      String patient = idx[2 * k + 1] >= 0 ? v.text(idx[2 * k + 1]) : null;
      String[] attrs = new String[attributesHere ? spec.attributes.size() : 0];
      for (int a = 0; a < attrs.length; a++) {
        attrs[a] = value(v.text(idx[2 * k + 2 + a]));
      }
      return ScoredRow.ofTrusted(id, patient, scores, targets, attrs);
    }

    /** One distinct instance per attribute value. */
    public String value(String s) {
      if (values == null) {
        values = new HashMap<>();
      }
      String known = values.get(s);
      if (known != null) {
        return known;
      }
      if (values.size() < 10_000) { // attribute-like columns only; a column of distinct values is not cached
        values.put(s, s);
      }
      return s;
    }

    private static double number(Fields v, int i, String column, Where where) {
      double d;
      try {
        d = v.number(i);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(where.describe() + ", column '" + column + "': '" + v.text(i)
            + "' is not a number");
      }
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException(where.describe() + ", column '" + column + "': value is " + v.text(i));
      }
      return d;
    }
  }
}
