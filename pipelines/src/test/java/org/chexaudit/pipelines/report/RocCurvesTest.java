package org.chexaudit.pipelines.report;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.chexaudit.pipelines.stage.AvroFiles;
import org.chexaudit.schemas.SubgroupMetric;
import org.chexaudit.transforms.io.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's ROC curves are the metrics stage's own records: no predictions are read. */
class RocCurvesTest {
  @TempDir Path tmp;

  @Test
  void curvesComeFromTheStagesRecordsWholeSetFirstIntersectionsAndOneClassGroupsLeftOut() throws Exception {
    List<SubgroupMetric> records = new ArrayList<>(ReportFixture.rocRecords());
    SubgroupMetric female = records.get(1);
    // an intersection, and a group with one class (no ROC points): neither is drawn
    records.add(SubgroupMetric.newBuilder(female).setAttribute("sex*race").setGroup("Female*Black").build());
    records.add(SubgroupMetric.newBuilder(female).setAttribute("race").setGroup("Asian").setRocFpr(List.of())
        .setRocTpr(List.of()).setAuc(null).build());
    Path stage = Files.createDirectories(tmp.resolve("metrics"));
    AvroFiles.write(stage.resolve("metrics.avro"), SubgroupMetric.class, records);

    Map<String, Map<String, List<RocCurves.Curve>>> curves = RocCurves.of(Resources.dir(stage.toString()));
    assertThat(curves.keySet(), contains("Pleural Effusion", "Fracture"));
    assertThat(curves.get("Pleural Effusion").keySet(), contains("sex"));
    List<RocCurves.Curve> sex = curves.get("Pleural Effusion").get("sex");
    assertThat(sex.stream().map(RocCurves.Curve::group).toList(), contains("all", "Female", "Male"));
    for (int i = 0; i < 3; i++) {
      SubgroupMetric r = records.get(i);
      assertThat(sex.get(i).auc(), is(r.getAuc()));
      assertThat(sex.get(i).fpr().length, is(r.getRocFpr().size()));
      assertThat(sex.get(i).tpr()[sex.get(i).tpr().length - 1], is(1.0));
      assertThat(sex.get(i).pointFpr(), is(r.getFpr()));
    }
    // the planted gap: Male separated better than Female
    assertThat(sex.get(2).auc(), greaterThan(sex.get(1).auc() + 0.05));
  }

  @Test
  void aStageWithoutRecordsHasNoCurves() {
    assertThat(RocCurves.of(Resources.dir(tmp.toString())).isEmpty(), is(true));
  }
}
