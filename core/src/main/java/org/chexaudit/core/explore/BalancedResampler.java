package org.chexaudit.core.explore;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The three-stage weighted resampling of chexpert.resample.ipynb, with replacement throughout:
 * <ol>
 *   <li>race balance: {@code sizeFactor * n} rows, row weight {@code 1 / P(race)};
 *   <li>per race (in order of first appearance in stage 1), resample to its own size with
 *       weight {@code P_overall(disease) / P_race(disease)};
 *   <li>per (race, disease) (diseases in order of first appearance in the input), resample to
 *       its own size with weight {@code P_overall(ageBin | disease) / P_cell(ageBin)}.
 * </ol>
 * All "overall" distributions are those of the input. The result lists input row indices, with
 * duplicates, race by race and disease by disease as the notebook concatenates them. The draws
 * come from one {@link SplittableRandom} seeded with {@link #seed()}, so they follow the
 * notebook's distribution but not torch's exact draws.
 *
 * <p>As in the notebook, an age bin that no row of a (race, disease) cell falls in after stage 2
 * cannot be filled, so the match of stage 3 is only as good as the cell's support.
 */
public final class BalancedResampler implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int sizeFactor;
  private final long seed;

  private BalancedResampler(int sizeFactor, long seed) {
    this.sizeFactor = sizeFactor;
    this.seed = seed;
  }

  /** The notebook's settings: size factor 3, seed 42. */
  public static BalancedResampler create() {
    return new BalancedResampler(3, 42L);
  }

  public BalancedResampler withSizeFactor(int value) {
    if (value < 1) {
      throw new IllegalArgumentException("sizeFactor must be >= 1, got " + value);
    }
    return new BalancedResampler(value, seed);
  }

  public BalancedResampler withSeed(long value) {
    return new BalancedResampler(sizeFactor, value);
  }

  public int sizeFactor() {
    return sizeFactor;
  }

  public long seed() {
    return seed;
  }

  /** The notebook's 8 age bins: <=20, 21-30, ..., 71-80, >80 (ages are whole years). */
  public static int ageBin(int age) {
    if (age <= 20) {
      return 0;
    }
    if (age > 80) {
      return 7;
    }
    return (age - 11) / 10;
  }

  /**
   * Indices into the input rows, {@code sizeFactor * n} of them.
   *
   * @param race race label per row
   * @param disease disease label per row
   * @param age age in years per row
   */
  public int[] resample(int[] race, int[] disease, int[] age) {
    int n = race.length;
    if (disease.length != n || age.length != n) {
      throw new IllegalArgumentException("race, disease and age must have equal lengths, got "
          + n + ", " + disease.length + ", " + age.length);
    }
    if (n == 0) {
      throw new IllegalArgumentException("cannot resample an empty cohort");
    }
    int[] bin = new int[n];
    for (int i = 0; i < n; i++) {
      bin[i] = ageBin(age[i]);
    }
    SplittableRandom rng = new SplittableRandom(seed);

    Map<Integer, Double> raceShare = shares(race, allRows(n));
    double[] raceWeights = new double[n];
    for (int i = 0; i < n; i++) {
      raceWeights[i] = 1.0 / raceShare.get(race[i]);
    }
    int[] balanced = SeededSampling.weightedWithReplacement(raceWeights, n * sizeFactor, rng);

    Map<Integer, Double> diseaseOverall = shares(disease, allRows(n));
    Map<Integer, Map<Integer, Double>> binGivenDisease = new LinkedHashMap<>();
    for (int d : diseaseOverall.keySet()) {
      binGivenDisease.put(d, shares(bin, rowsWith(disease, allRows(n), d)));
    }

    List<Integer> out = new ArrayList<>(n * sizeFactor);
    for (int r : firstAppearance(race, balanced)) {
      int[] group = rowsWith(race, balanced, r);
      Map<Integer, Double> diseaseHere = shares(disease, group);
      double[] w = new double[group.length];
      for (int t = 0; t < group.length; t++) {
        int d = disease[group[t]];
        w[t] = diseaseOverall.get(d) / diseaseHere.get(d);
      }
      int[] byDisease = pick(group, SeededSampling.weightedWithReplacement(w, group.length, rng));
      for (int d : diseaseOverall.keySet()) {
        int[] cell = rowsWith(disease, byDisease, d);
        if (cell.length == 0) {
          continue;
        }
        Map<Integer, Double> binHere = shares(bin, cell);
        Map<Integer, Double> binOverall = binGivenDisease.get(d);
        double[] aw = new double[cell.length];
        for (int t = 0; t < cell.length; t++) {
          aw[t] = binOverall.getOrDefault(bin[cell[t]], 0.0) / binHere.get(bin[cell[t]]);
        }
        for (int i : pick(cell, SeededSampling.weightedWithReplacement(aw, cell.length, rng))) {
          out.add(i);
        }
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Disease prevalence per race over {@code rows}: races in order of first appearance in rows,
   * diseases by ascending label, named by the two name arrays.
   */
  public static PrevalenceTable prevalence(int[] rows, int[] race, int[] disease,
      Map<Integer, String> raceNames, Map<Integer, String> diseaseNames) {
    List<Integer> races = firstAppearance(race, rows);
    List<Integer> diseases = new ArrayList<>(new TreeMap<>(diseaseNames).keySet());
    double[][] fractions = new double[races.size()][diseases.size()];
    for (int r = 0; r < races.size(); r++) {
      int[] group = rowsWith(race, rows, races.get(r));
      for (int i : group) {
        int d = diseases.indexOf(disease[i]);
        if (d < 0) {
          throw new IllegalArgumentException("disease label " + disease[i] + " has no name in "
              + diseaseNames);
        }
        fractions[r][d] += 1.0 / group.length;
      }
    }
    List<String> raceLabels = new ArrayList<>();
    for (int r : races) {
      raceLabels.add(raceNames.getOrDefault(r, String.valueOf(r)));
    }
    List<String> diseaseLabels = new ArrayList<>();
    for (int d : diseases) {
      diseaseLabels.add(diseaseNames.get(d));
    }
    return new PrevalenceTable(raceLabels, diseaseLabels, fractions);
  }

  private static int[] allRows(int n) {
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
    }
    return rows;
  }

  private static int[] pick(int[] rows, int[] positions) {
    int[] out = new int[positions.length];
    for (int t = 0; t < positions.length; t++) {
      out[t] = rows[positions[t]];
    }
    return out;
  }

  private static int[] rowsWith(int[] values, int[] rows, int value) {
    return java.util.Arrays.stream(rows).filter(i -> values[i] == value).toArray();
  }

  private static List<Integer> firstAppearance(int[] values, int[] rows) {
    LinkedHashMap<Integer, Boolean> seen = new LinkedHashMap<>();
    for (int i : rows) {
      seen.putIfAbsent(values[i], Boolean.TRUE);
    }
    return new ArrayList<>(seen.keySet());
  }

  /** Normalised frequencies of values over rows, keyed in order of first appearance. */
  private static Map<Integer, Double> shares(int[] values, int[] rows) {
    LinkedHashMap<Integer, Double> counts = new LinkedHashMap<>();
    for (int i : rows) {
      counts.merge(values[i], 1.0, Double::sum);
    }
    counts.replaceAll((k, c) -> c / rows.length);
    return counts;
  }
}
