package org.chexaudit.transforms.ml;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.chexaudit.transforms.io.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDirCopyTest {
  @TempDir Path tmp;

  private static List<String> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }

  @Test
  void copiesChangedFilesAndResumesFromTheCopy() throws Exception {
    Path local = tmp.resolve("local");
    Path target = tmp.resolve("target");
    Files.createDirectories(local.resolve("checkpoints"));
    Files.writeString(local.resolve("model.json"), "{}");
    Files.writeString(local.resolve("training_log.csv"), "epoch\n1\n");
    Files.writeString(local.resolve("checkpoints/last.npz"), "epoch 1");
    ModelDirCopy copy = ModelDirCopy.of(local, Resources.dir(target.toUri().toString()));
    assertThat(copy.targetHasCheckpoint(), equalTo(false));
    copy.upload();
    assertThat(files(target), equalTo(List.of("checkpoints/last.npz", "model.json", "training_log.csv")));
    assertThat(copy.targetHasCheckpoint(), equalTo(true));

    // Unchanged files are not copied again: mark the copy, change only the checkpoint and the log.
    Files.writeString(target.resolve("model.json"), "copied once");
    Files.writeString(local.resolve("training_log.csv"), "epoch\n1\n2\n");
    Files.writeString(local.resolve("checkpoints/last.npz"), "epoch 2");
    Files.setLastModifiedTime(local.resolve("checkpoints/last.npz"), FileTime.fromMillis(1)); // a new stamp
    copy.upload();
    assertThat(Files.readString(target.resolve("model.json")), equalTo("copied once"));
    assertThat(Files.readString(target.resolve("training_log.csv")), equalTo("epoch\n1\n2\n"));
    assertThat(Files.readString(target.resolve("checkpoints/last.npz")), equalTo("epoch 2"));

    // A copy interrupted by a kill leaves a temporary file; a resumed run neither uses nor copies it back.
    Files.writeString(target.resolve("checkpoints/last.npz.copying"), "half");
    Path resumed = tmp.resolve("resumed");
    ModelDirCopy again = ModelDirCopy.of(resumed, Resources.dir(target.toString()));
    again.download();
    assertThat(files(resumed), equalTo(List.of("checkpoints/last.npz", "model.json", "training_log.csv")));
    assertThat(Files.readString(resumed.resolve("checkpoints/last.npz")), equalTo("epoch 2"));
  }
}
