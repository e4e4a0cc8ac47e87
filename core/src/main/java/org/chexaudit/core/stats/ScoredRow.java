package org.chexaudit.core.stats;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One scored image for the metrics transforms: an id, an optional patient (for the cluster
 * bootstrap), one score and one 0/1 target per label, and one value per attribute (null when
 * missing). Label and attribute names are configuration of the transform, by position.
 */
public final class ScoredRow implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String id;
  private final String patient;
  private final double[] scores;
  private final int[] targets;
  private final String[] attributes;

  private ScoredRow(String id, String patient, double[] scores, int[] targets, String[] attributes) {
    this.id = Objects.requireNonNull(id, "id");
    this.patient = patient;
    this.scores = scores;
    this.targets = targets;
    this.attributes = attributes;
  }

  /** Validates scores (finite) and targets (0 or 1), naming the row and position on failure. */
  public static ScoredRow of(String id, String patient, double[] scores, int[] targets, String[] attributes) {
    if (scores.length != targets.length) {
      throw new IllegalArgumentException("row " + id + ": " + scores.length + " scores but " + targets.length + " targets");
    }
    for (int i = 0; i < scores.length; i++) {
      if (!Double.isFinite(scores[i])) {
        throw new IllegalArgumentException("row " + id + ": score " + i + " is " + scores[i]);
      }
      if (targets[i] != 0 && targets[i] != 1) {
        throw new IllegalArgumentException("row " + id + ": target " + i + " is " + targets[i] + ", expected 0 or 1");
      }
    }
    return new ScoredRow(id, patient, scores.clone(), targets.clone(), attributes.clone());
  }

  /** Wraps arrays already validated (by a coder decoding what {@link #of} built), without copying. */
  public static ScoredRow ofTrusted(String id, String patient, double[] scores, int[] targets, String[] attributes) {
    return new ScoredRow(id, patient, scores, targets, attributes);
  }

  /** This row with {@code attributes} instead of its own (joined from a groups file); shares the score arrays. */
  public ScoredRow withAttributes(String[] attributes) {
    return new ScoredRow(id, patient, scores, targets, attributes.clone());
  }

  public String id() { return id; }
  /** Patient id, or null. */
  public String patient() { return patient; }
  public double score(int label) { return scores[label]; }
  public int target(int label) { return targets[label]; }
  public int labelCount() { return scores.length; }
  /** Attribute value, or null when missing. */
  public String attribute(int i) { return attributes[i]; }
  public int attributeCount() { return attributes.length; }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ScoredRow)) {
      return false;
    }
    ScoredRow r = (ScoredRow) o;
    return id.equals(r.id) && Objects.equals(patient, r.patient) && Arrays.equals(scores, r.scores)
        && Arrays.equals(targets, r.targets) && Arrays.equals(attributes, r.attributes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, patient, Arrays.hashCode(scores), Arrays.hashCode(targets), Arrays.hashCode(attributes));
  }

  @Override
  public String toString() {
    return "ScoredRow{" + id + ", patient=" + patient + ", scores=" + Arrays.toString(scores) + ", targets="
        + Arrays.toString(targets) + ", attributes=" + Arrays.toString(attributes) + "}";
  }
}
