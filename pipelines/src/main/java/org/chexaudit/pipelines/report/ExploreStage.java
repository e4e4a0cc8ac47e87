package org.chexaudit.pipelines.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.chexaudit.pipelines.stage.StageOutput;

/** A finished {@code explore} stage: its KS table ({@code ks_tests.csv}) and the folder holding its plots. */
record ExploreStage(String name, Path dir, CsvTable ks) {
  static boolean isOne(Path dir) {
    return Files.isRegularFile(dir.resolve("ks_tests.csv")) && Files.isRegularFile(dir.resolve(StageOutput.MANIFEST));
  }

  static ExploreStage read(Path run, Path dir) throws IOException {
    String name = run.relativize(dir).toString();
    return new ExploreStage(name, dir, CsvTable.read(name + "/ks_tests.csv", dir.resolve("ks_tests.csv")));
  }
}
