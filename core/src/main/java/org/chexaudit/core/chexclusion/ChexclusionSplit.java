package org.chexaudit.core.chexclusion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.core.cohort.SplitAssignment;

/**
 * CheXclusion's patient-level random split (spec B2, 80/10/10 train/validate/test by default), made
 * with {@link SplitAssignment}: deterministic for a seed, every image of a patient in one split. (The
 * original draws an unseeded numpy uniform per subject, so its split cannot be reproduced exactly.)
 */
public final class ChexclusionSplit {
  private ChexclusionSplit() {}

  public static List<CohortRecord> assign(List<CohortRecord> records, long seed) {
    DatasetConfig c = DatasetConfig.load();
    return assign(records, c.list("split.names"), c.splitFractions(), seed);
  }

  public static List<CohortRecord> assign(List<CohortRecord> records, List<String> names, List<Double> fractions,
      long seed) {
    Map<String, String> patients = new LinkedHashMap<>();
    for (CohortRecord r : records) {
      patients.put(r.getPatientId().toString(), "");
    }
    Map<String, String> split = SplitAssignment.assign(patients, names, fractions, seed);
    List<CohortRecord> out = new ArrayList<>(records.size());
    for (CohortRecord r : records) {
      out.add(CohortRecord.newBuilder(r).setSplit(split.get(r.getPatientId().toString())).build());
    }
    return out;
  }
}
