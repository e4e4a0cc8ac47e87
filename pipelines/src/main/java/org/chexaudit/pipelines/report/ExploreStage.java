package org.chexaudit.pipelines.report;

import java.io.IOException;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.chexaudit.pipelines.stage.StageOutput;
import org.chexaudit.transforms.io.Resources;

/** A finished {@code explore} stage: its KS table ({@code ks_tests.csv}) and the folder holding its plots. */
record ExploreStage(String name, ResourceId dir, CsvTable ks) {
  static boolean isOne(ResourceId dir) {
    return Resources.exists(Resources.file(dir, "ks_tests.csv")) && Resources.exists(Resources.file(dir, StageOutput.MANIFEST));
  }

  static ExploreStage read(ResourceId run, ResourceId dir) throws IOException {
    String name = HtmlReport.relative(run, dir);
    return new ExploreStage(name, dir, CsvTable.read(name + "/ks_tests.csv", Resources.file(dir, "ks_tests.csv")));
  }
}
