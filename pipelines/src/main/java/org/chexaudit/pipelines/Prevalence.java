package org.chexaudit.pipelines;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.chexaudit.core.explore.PrevalenceTable;
import org.chexaudit.schemas.CohortRecord;

/**
 * Disease prevalence per race from counts summed in the pipeline, equal to what
 * {@link org.chexaudit.core.explore.BalancedResampler#prevalence} gives on the rows themselves: races by
 * ascending race label, diseases by ascending disease label, and each fraction summed as {@code 1 / n} once
 * per row, as there, so the doubles are the same to the last bit.
 *
 * <p>A count's key is {@code [sample, race label, race name, disease label, disease name, race]}.
 */
final class Prevalence {
  private Prevalence() {}

  static List<String> key(String sample, CohortRecord r) {
    String raceName = r.getRace() == null ? String.valueOf(r.getRaceLabel()) : r.getRace().toString();
    return List.of(sample, String.valueOf(r.getRaceLabel()), raceName, Integer.toString(r.getDiseaseLabel()),
        String.valueOf(r.getDisease()), String.valueOf(r.getRace()));
  }

  /** The table of {@code sample}, or null when it has no rows. */
  static PrevalenceTable table(CohortCounts counts, String sample) {
    Map<Integer, String> raceNames = new TreeMap<>();
    Map<Integer, String> diseaseNames = new TreeMap<>();
    Map<Integer, Map<Integer, Long>> cells = new TreeMap<>();
    for (Map.Entry<List<String>, Long> e : entries(counts, sample)) {
      List<String> k = e.getKey();
      int race = Integer.parseInt(k.get(1));
      int disease = Integer.parseInt(k.get(3));
      raceNames.merge(race, k.get(2), (a, b) -> a.compareTo(b) <= 0 ? a : b);
      diseaseNames.merge(disease, k.get(4), (a, b) -> a.compareTo(b) <= 0 ? a : b);
      cells.computeIfAbsent(race, x -> new TreeMap<>()).merge(disease, e.getValue(), Long::sum);
    }
    if (cells.isEmpty()) {
      return null;
    }
    List<Integer> diseases = new ArrayList<>(diseaseNames.keySet());
    double[][] fractions = new double[cells.size()][diseases.size()];
    int r = 0;
    for (Map<Integer, Long> row : cells.values()) {
      long n = row.values().stream().mapToLong(Long::longValue).sum();
      for (Map.Entry<Integer, Long> cell : row.entrySet()) {
        int d = diseases.indexOf(cell.getKey());
        for (long i = 0; i < cell.getValue(); i++) {
          fractions[r][d] += 1.0 / n;
        }
      }
      r++;
    }
    List<String> races = new ArrayList<>();
    cells.keySet().forEach(label -> races.add(raceNames.get(label)));
    return new PrevalenceTable(races, diseases.stream().map(diseaseNames::get).toList(), fractions);
  }

  /** Rows counted under {@code sample}. */
  static long rows(CohortCounts counts, String sample) {
    return entries(counts, sample).stream().mapToLong(Map.Entry::getValue).sum();
  }

  /** Rows of {@code sample} by race name. */
  static Map<String, Long> byRace(CohortCounts counts, String sample) {
    Map<String, Long> m = new TreeMap<>();
    entries(counts, sample).forEach(e -> m.merge(e.getKey().get(5), e.getValue(), Long::sum));
    return m;
  }

  private static List<Map.Entry<List<String>, Long>> entries(CohortCounts counts, String sample) {
    return counts.asMap().entrySet().stream()
        .filter(e -> e.getKey().size() == 6 && e.getKey().get(0).equals(sample))
        .toList();
  }
}
