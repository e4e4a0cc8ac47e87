package org.chexaudit.core.cohort;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Patient-level random split, as the AI-Vengers notebook made chexploration's split: shuffle the
 * patients, the first {@code round(f0*N)} go to the first split, the next {@code round(f1*N)} to the
 * second, the rest to the last ({@code round} is Python's, half to even). With strata, each stratum is
 * shuffled and cut on its own, so every part keeps the strata's proportions.
 *
 * <p>The result depends only on the set of (patient, stratum) pairs and the seed: patients are sorted
 * before shuffling, and each stratum's shuffle is seeded from the seed and the stratum's name. It is
 * therefore the same on every runner and parallelism. (It does not reproduce numpy's random stream; to
 * reproduce the published split exactly, pass its split file.)
 */
public final class SplitAssignment {
  private SplitAssignment() {}

  /** Returns patient id -> split name. */
  public static Map<String, String> assign(
      Map<String, String> stratumByPatient, List<String> names, List<Double> fractions, long seed) {
    if (names.size() != fractions.size() || names.isEmpty()) {
      throw new IllegalArgumentException(
          "split names " + names + " and fractions " + fractions + " must be non-empty and of equal length");
    }
    double sum = fractions.stream().mapToDouble(Double::doubleValue).sum();
    if (Math.abs(sum - 1.0) > 1e-9 || fractions.stream().anyMatch(f -> f < 0)) {
      throw new IllegalArgumentException("split fractions " + fractions + " must be >= 0 and sum to 1");
    }
    TreeMap<String, List<String>> strata = new TreeMap<>();
    stratumByPatient.forEach((p, s) -> strata.computeIfAbsent(s, k -> new ArrayList<>()).add(p));
    Map<String, String> out = new HashMap<>();
    for (Map.Entry<String, List<String>> e : strata.entrySet()) {
      List<String> patients = e.getValue();
      Collections.sort(patients);
      shuffle(patients, new SplittableRandom(mix(seed, e.getKey())));
      int n = patients.size();
      int start = 0;
      for (int i = 0; i < names.size(); i++) {
        int end = i == names.size() - 1 ? n : Math.min(n, start + (int) Math.rint(fractions.get(i) * n));
        for (String p : patients.subList(start, end)) {
          out.put(p, names.get(i));
        }
        start = end;
      }
    }
    return out;
  }

  private static void shuffle(List<String> list, SplittableRandom rnd) {
    for (int i = list.size() - 1; i > 0; i--) {
      Collections.swap(list, i, rnd.nextInt(i + 1));
    }
  }

  /** A seed for one stratum that depends only on the run's seed and the stratum's name. */
  static long mix(long seed, String stratum) {
    long h = seed * 0x9E3779B97F4A7C15L;
    for (int i = 0; i < stratum.length(); i++) {
      h = (h ^ stratum.charAt(i)) * 0x100000001B3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }
}
