package org.chexaudit.pipelines.stage;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.chexaudit.transforms.io.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StageOutputTest {
  @TempDir Path tmp;

  @Test
  void writesInPlaceWithAStartedMarkerThenTheManifestLast() throws Exception {
    Path target = tmp.resolve("out");
    StageOutput out = StageOutput.begin("demo", "file://" + target, false);
    assertThat(Files.exists(target.resolve(StageOutput.STARTED)), is(true));
    Resources.writeString(out.file("part/a.csv"), "x\n");
    assertThat("unfinished until commit", StageOutput.readManifest(target), nullValue());
    out.commit(Map.of("k", "v"), Map.of("rows", 1));
    assertThat(Files.exists(target.resolve(StageOutput.STARTED)), is(false));
    assertThat(StageOutput.readManifest(target).get("counts"), equalTo(Map.of("rows", 1)));
    assertThat(Files.readString(target.resolve("part/a.csv")), equalTo("x\n"));
  }

  @Test
  void aFinishedOutputIsKeptWithoutOverwriteAndReplacedWithIt() {
    Path target = tmp.resolve("out");
    StageOutput.begin("demo", target, false).commit(Map.of(), Map.of("run", 1));
    StageOutput.StageOutputException e = assertThrows(StageOutput.StageOutputException.class,
        () -> StageOutput.begin("demo", target, false));
    assertThat(e.getMessage(), containsString("already holds a finished 'demo' output; pass --overwrite=true"));
    StageOutput.begin("demo", target, true).commit(Map.of(), Map.of("run", 2));
    assertThat(StageOutput.readManifest(target).get("counts"), equalTo(Map.of("run", 2)));
  }

  @Test
  void anInterruptedRunIsClearedByTheRerunButAForeignFolderIsRefused() throws Exception {
    Path target = tmp.resolve("out");
    StageOutput killed = StageOutput.begin("demo", target.toString(), false);
    Resources.writeString(killed.file("half-written.avro"), "junk");
    // no commit, no abort: as if the process had been killed
    StageOutput rerun = StageOutput.begin("demo", target.toString(), false);
    assertThat(Files.exists(target.resolve("half-written.avro")), is(false));
    rerun.commit(Map.of(), Map.of());

    Path foreign = tmp.resolve("mine");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("notes.txt"), "keep me");
    StageOutput.StageOutputException e = assertThrows(StageOutput.StageOutputException.class,
        () -> StageOutput.begin("demo", foreign.toString(), false));
    assertThat(e.getMessage(), containsString("exists and is not an empty folder"));
    assertThat(Files.readString(foreign.resolve("notes.txt")), equalTo("keep me"));
  }

  @Test
  void inputsAreFingerprintedFilesByHashFoldersBySize() throws Exception {
    Files.writeString(tmp.resolve("in.csv"), "a,b\n");
    Files.createDirectories(tmp.resolve("shards"));
    Files.writeString(tmp.resolve("shards/1.avro"), "12345");
    Files.writeString(tmp.resolve("shards/2.avro"), "678");
    Map<String, Object> file = StageOutput.fingerprint(tmp.resolve("in.csv").toString());
    assertThat(file.get("sha256"), equalTo("5be08c9684a1d25efcee09318204824278b08bbfb4aef973ffefd0b9d7478313")); // sha256sum
    assertThat(file.get("bytes"), equalTo(4L));
    Map<String, Object> dir = StageOutput.fingerprint(tmp.resolve("shards").toString());
    assertThat(dir.get("bytes"), equalTo(8L));
    assertThat(dir.get("files"), equalTo(2L));
  }

  @Test
  void theManifestHasEachInputFilesHashAndFoldersSizeComputedWhileTheStageRan() throws Exception {
    Files.writeString(tmp.resolve("in.csv"), "a,b\n");
    Files.createDirectories(tmp.resolve("images/p1/s1"));
    Files.writeString(tmp.resolve("images/p1/s1/v.jpg"), "12345");
    Files.writeString(tmp.resolve("images/top.jpg"), "678");
    // the output inside the input folder: its files are not the input's
    Path target = tmp.resolve("images/out");
    StageOutput out = StageOutput.begin("demo", target.toString(), false).withInput("csv", tmp.resolve("in.csv"))
        .withInput("images", tmp.resolve("images"));
    Files.writeString(target.resolve("part-0.avro"), "written by the stage");
    out.commit(Map.of(), Map.of());
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> inputs =
        (Map<String, Map<String, Object>>) StageOutput.readManifest(target).get("inputs");
    assertThat(inputs.get("csv").get("sha256"), equalTo("5be08c9684a1d25efcee09318204824278b08bbfb4aef973ffefd0b9d7478313"));
    assertThat(List.copyOf(inputs.get("csv").keySet()), equalTo(List.of("path", "bytes", "sha256")));
    assertThat(inputs.get("images").get("bytes"), equalTo(8));
    assertThat(inputs.get("images").get("files"), equalTo(2));
    assertThat(List.copyOf(inputs.get("images").keySet()), equalTo(List.of("path", "bytes", "files")));
  }

  @Test
  void aMissingInputOrAnEmptyFolderFailsWhenNamed() throws Exception {
    Files.createDirectories(tmp.resolve("empty/sub"));
    StageOutput out = StageOutput.begin("demo", tmp.resolve("out").toString(), false);
    for (String input : List.of("missing", "empty")) {
      java.io.UncheckedIOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class,
          () -> out.withInput("x", tmp.resolve(input)));
      assertThat(e.getMessage(), containsString("no such file or folder"));
    }
  }
}
