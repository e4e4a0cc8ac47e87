package org.chexaudit.pipelines;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.transforms.io.Resources;

/**
 * The counts behind the cohort's {@code summary.json}, keyed by a path of names ({@code [by_race, White]},
 * {@code [split_detail, train, by_sex, Male]}, {@code [filtered, <rule>]}). Workers count their part of the
 * cohort into one of these, the pipeline sums them per key, and the client reads the few hundred sums back
 * as JSON lines ({@code ["by_race","White",1234]}): no row reaches the client.
 */
final class CohortCounts {
  static final String KEPT = "kept";
  static final String PATIENTS = "patients";
  static final String PARSED = "parsed";
  static final String FILTERED = "filtered";
  static final String DEAD = "dead_letters";

  private static final ObjectMapper JSON = new ObjectMapper();

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

  /** One count as a JSON line: the key's names, then the count. */
  static String toJsonLine(List<String> key, long count) {
    List<Object> line = new ArrayList<>(key);
    line.add(count);
    try {
      return JSON.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sums the partial counts of a pipeline per key and writes the sums as {@code counts.jsonl} into the
   * folder {@code work}; {@link #readFrom} reads them back once the pipeline has run.
   */
  static PTransform<PCollectionList<KV<List<String>, Long>>, PDone> writeTo(ResourceId work) {
    return new PTransform<>() {
      @Override
      public PDone expand(PCollectionList<KV<List<String>, Long>> parts) {
        return parts
            .apply("AllCounts", Flatten.pCollections())
            .setCoder(KvCoder.of(ListCoder.of(StringUtf8Coder.of()), VarLongCoder.of()))
            .apply("SumCounts", Sum.longsPerKey())
            .apply("CountLines", MapElements.into(TypeDescriptors.strings())
                .via((KV<List<String>, Long> kv) -> toJsonLine(kv.getKey(), kv.getValue())))
            .apply("WriteCounts", TextIO.write().to(Resources.path(Resources.file(work, "counts")))
                .withSuffix(".jsonl").withoutSharding());
      }
    };
  }

  /** The sums {@link #writeTo} wrote into {@code work}. */
  static CohortCounts readFrom(ResourceId work) {
    return fromJsonLines(Resources.readString(Resources.file(work, "counts.jsonl")));
  }

  /** Reads the lines {@link #toJsonLine} wrote; blank lines are skipped. */
  static CohortCounts fromJsonLines(String text) {
    CohortCounts c = new CohortCounts();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        List<Object> parts = JSON.readValue(line, new TypeReference<List<Object>>() {});
        List<String> key = new ArrayList<>();
        for (Object p : parts.subList(0, parts.size() - 1)) {
          key.add(String.valueOf(p));
        }
        c.add(((Number) parts.get(parts.size() - 1)).longValue(), key.toArray(String[]::new));
      } catch (JsonProcessingException | RuntimeException e) {
        throw new IllegalStateException("cohort counts line '" + line + "' is not [names..., count]", e);
      }
    }
    return c;
  }
}
