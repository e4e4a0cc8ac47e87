package org.chexaudit.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.chexaudit.schemas.CohortRecord;
import org.junit.jupiter.api.Test;

class CohortFilesTest {
  private static CohortRecord kept(String patient, String split) {
    return CohortRecord.newBuilder()
        .setId(patient).setRowIndex(0).setPatientId(patient).setPath("p").setPathPreproc("q")
        .setSex("Male").setRace("White").setSplit(split).setLabels(new ArrayList<>())
        .setDisease("Other").setDiseaseLabel(2).setAttributes(new HashMap<>()).build();
  }

  /** summary.json is byte-identical from run to run, so each split's detail has one fixed key order. */
  @Test
  @SuppressWarnings("unchecked")
  void splitDetailListsRaceSexDiseaseInThatOrder() {
    CohortCounts counts = CohortCounts.ofRecords(List.of(kept("a", "train"), kept("b", "test")));
    counts.add(2, CohortCounts.PARSED);
    Map<String, Object> s = CohortFiles.summary(counts, List.of(), "ReadChexpertCsv");
    Map<String, Map<String, Object>> detail = (Map<String, Map<String, Object>>) s.get("split_detail");
    for (Map<String, Object> split : detail.values()) {
      assertThat(split.keySet(), contains("by_race", "by_sex", "by_disease"));
    }
  }
}
