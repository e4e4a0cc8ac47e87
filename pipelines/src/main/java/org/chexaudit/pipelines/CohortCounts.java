package org.chexaudit.pipelines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Sum;
import org.chexaudit.transforms.grouping.SumInBundles;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.transforms.io.CollectToFile;
import org.chexaudit.transforms.io.Resources;

/**
 * The counts behind the cohort's {@code summary.json}, keyed by a path of names ({@code [by_race, White]},
 * {@code [split_detail, train, by_sex, Male]}, {@code [filtered, <rule>]}). Workers count their part of the
 * cohort into one of these, the pipeline sums them per key, and the client reads the few hundred sums back
 * from one small file: no row reaches the client.
 */
final class CohortCounts {
  static final String KEPT = "kept";
  static final String PATIENTS = "patients";
  static final String PARSED = "parsed";
  static final String FILTERED = "filtered";
  static final String DEAD = "dead_letters";

  private final Map<List<String>, Long> counts = new HashMap<>();

  /** Adds {@code n} to the count at {@code key}. */
  void add(long n, String... key) {
    counts.merge(List.of(key), n, Long::sum);
  }

  /**
   * Counts a group of kept records: rows, distinct patients, by race, sex and split, and by race, sex and
   * disease within each split. Every record of a patient must be in the same group (the patient counts
   * are distinct counts within the group).
   */
  static CohortCounts ofRecords(Iterable<CohortRecord> records) {
    CohortCounts c = new CohortCounts();
    Set<String> patients = new HashSet<>();
    Map<String, Set<String>> patientsBySplit = new HashMap<>();
    for (CohortRecord r : records) {
      String split = String.valueOf(r.getSplit());
      c.add(1, KEPT);
      c.add(1, "by_race", String.valueOf(r.getRace()));
      c.add(1, "by_sex", String.valueOf(r.getSex()));
      c.add(1, "by_split", split);
      c.add(1, "split_detail", split, "by_race", String.valueOf(r.getRace()));
      c.add(1, "split_detail", split, "by_sex", String.valueOf(r.getSex()));
      c.add(1, "split_detail", split, "by_disease", String.valueOf(r.getDisease()));
      patients.add(r.getPatientId());
      patientsBySplit.computeIfAbsent(split, k -> new HashSet<>()).add(r.getPatientId());
    }
    if (!patients.isEmpty()) {
      c.add(patients.size(), PATIENTS);
    }
    patientsBySplit.forEach((split, ids) -> c.add(ids.size(), "patients_by_split", split));
    return c;
  }

  Map<List<String>, Long> asMap() {
    return counts;
  }

  /** The count at {@code key}, 0 when never counted. */
  long get(String... key) {
    return counts.getOrDefault(List.of(key), 0L);
  }

  /**
   * The counts one level below {@code key}, by name in sorted order ({@code under("by_race")}); counts of
   * deeper keys are summed into their name at that level.
   */
  TreeMap<String, Long> under(String... key) {
    TreeMap<String, Long> out = new TreeMap<>();
    List<String> prefix = List.of(key);
    counts.forEach((k, v) -> {
      if (k.size() > prefix.size() && k.subList(0, prefix.size()).equals(prefix)) {
        out.merge(k.get(prefix.size()), v, Long::sum);
      }
    });
    return out;
  }

  /** The coder of one summed count: the key's names and the count. */
  private static final Coder<KV<List<String>, Long>> COUNT_CODER =
      KvCoder.of(ListCoder.of(StringUtf8Coder.of()), VarLongCoder.of());

  /** Where {@link #writeTo} collects the sums in the work folder, and {@link #readFrom} reads them. */
  private static String countsFile(ResourceId work) {
    return Resources.path(Resources.file(work, "counts.bin"));
  }

  /**
   * Sums the partial counts of a pipeline per key and collects the sums into one small file in the folder
   * {@code work}; {@link #readFrom} reads them back once the pipeline has run. (A few hundred keys: a
   * collecting step, where a text write added some twenty steps of its own to a Direct run.)
   */
  static PTransform<PCollectionList<KV<List<String>, Long>>, PCollection<Void>> writeTo(ResourceId work) {
    return new PTransform<>() {
      @Override
      public PCollection<Void> expand(PCollectionList<KV<List<String>, Long>> parts) {
        return parts
            .apply("AllCounts", Flatten.pCollections())
            .setCoder(COUNT_CODER)
            .apply("SumInBundles", SumInBundles.create()) // a few partial sums per bundle, not one per record
            .apply("SumCounts", Sum.longsPerKey())
            .setCoder(COUNT_CODER)
            .apply("CollectCounts", CollectToFile.to(countsFile(work)));
      }
    };
  }

  /** The sums {@link #writeTo} collected into {@code work}. */
  static CohortCounts readFrom(ResourceId work) {
    CohortCounts c = new CohortCounts();
    try {
      for (KV<List<String>, Long> kv : CollectToFile.read(countsFile(work), COUNT_CODER)) {
        c.add(kv.getValue(), kv.getKey().toArray(String[]::new));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the cohort counts in " + Resources.path(work), e);
    }
    return c;
  }

}
