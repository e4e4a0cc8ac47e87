package org.chexaudit.models;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.chexaudit.schemas.ImageExample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training from parts streamed every epoch through a shuffle buffer smaller than the set. */
class StreamedTrainingTest {
  private static final int SIZE = 16;

  /** {@code examples} cut into parts of {@code per}; counts the parts open at once. */
  private static final class Parts implements ExampleSource {
    final List<List<ImageExample>> parts = new ArrayList<>();
    int open;
    int maxOpen;
    int opened;

    Parts(List<ImageExample> examples, int per) {
      for (int i = 0; i < examples.size(); i += per) {
        parts.add(new ArrayList<>(examples.subList(i, Math.min(examples.size(), i + per))));
      }
    }

    @Override
    public List<String> parts() {
      return java.util.stream.IntStream.range(0, parts.size()).mapToObj(i -> "part-" + i).toList();
    }

    @Override
    public Records open(int part) {
      Iterator<ImageExample> it = parts.get(part).iterator();
      open++;
      opened++;
      maxOpen = Math.max(maxOpen, open);
      return Records.of(it, () -> open--);
    }
  }

  private static TrainConfig config() {
    return TrainConfig.of(Task.DISEASE, Architecture.SMALL_CNN).withImageSize(SIZE).withEpochs(3).withBatchSize(8)
        .withThreads(1).withShuffleBuffer(6);
  }

  private static List<String> logWithoutTimes(Path dir) throws Exception {
    return Files.readAllLines(dir.resolve("training_log.csv")).stream()
        .map(l -> String.join(",", List.of(l.split(",")).subList(0, 3))).toList();
  }

  private static void assertSameWeights(Path a, Path b) throws Exception {
    Map<String, NamedArray> x = Npz.read(a.resolve("checkpoints/last.npz"));
    Map<String, NamedArray> y = Npz.read(b.resolve("checkpoints/last.npz"));
    assertThat(y.keySet(), equalTo(x.keySet()));
    for (String k : x.keySet()) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(x.get(k).values(), y.get(k).values(), 0f, k);
    }
    assertThat(Npz.read(b.resolve("best/weights.npz")), equalTo(Npz.read(a.resolve("best/weights.npz"))));
  }

  @Test
  void sameSeedGivesIdenticalWeightsAndLogOtherSeedDoesNot(@TempDir Path tmp) throws Exception {
    List<ImageExample> train = SyntheticImages.generate(40, SIZE, 31, "t");
    List<ImageExample> val = SyntheticImages.generate(12, SIZE, 32, "v");
    Parts parts = new Parts(train, 7);
    Trainer.Result r = Trainer.of(config()).withProgress(null).train(parts, new Parts(val, 5), tmp.resolve("a"));
    Trainer.of(config()).withProgress(null).train(new Parts(train, 7), new Parts(val, 5), tmp.resolve("b"));
    Trainer.of(config().withSeed(43)).withProgress(null).train(new Parts(train, 7), new Parts(val, 5), tmp.resolve("c"));

    assertThat(r.trainImages(), equalTo(40));
    assertThat(r.validationImages(), equalTo(12));
    assertThat("one part open at a time", parts.maxOpen, equalTo(1));
    assertThat("all closed", parts.open, equalTo(0));
    assertThat("a scan, then each part once per epoch", parts.opened, equalTo(parts.parts.size() * (1 + 3)));
    assertSameWeights(tmp.resolve("a"), tmp.resolve("b"));
    assertThat(logWithoutTimes(tmp.resolve("b")), equalTo(logWithoutTimes(tmp.resolve("a"))));
    assertThat(logWithoutTimes(tmp.resolve("c")), not(equalTo(logWithoutTimes(tmp.resolve("a")))));
  }

  @Test
  void epochsVisitPartsAndExamplesInSeededOrders() {
    List<ImageExample> train = SyntheticImages.generate(40, SIZE, 33, "t");
    ImageData data = ImageData.of(new Parts(train, 7), config().modelSpec(), Task.DISEASE.heads(), "train");
    List<Integer> one = order(data, 42, 1);
    assertThat(order(data, 42, 1), equalTo(one));
    assertThat(order(data, 42, 2), not(equalTo(one)));
    assertThat(one.stream().sorted().toList(), equalTo(java.util.stream.IntStream.range(0, 40).boxed().toList()));
    assertThat(data.count(), equalTo(40));
    try (ImageData.Examples inOrder = data.inOrder()) {
      for (int i = 0; i < 40; i++) {
        TrainingExample e = inOrder.next();
        assertThat(e.index, equalTo(i));
        assertThat(e.id, equalTo(train.get(i).getId().toString()));
      }
    }
  }

  private static List<Integer> order(ImageData data, long seed, int epoch) {
    List<Integer> out = new ArrayList<>();
    try (ImageData.Examples e = data.shuffled(seed, epoch, 6)) {
      e.forEachRemaining(x -> out.add(x.index));
    }
    return out;
  }

  @Test
  void resumedStreamedRunEqualsUninterruptedRun(@TempDir Path tmp) throws Exception {
    List<ImageExample> train = SyntheticImages.generate(40, SIZE, 34, "t");
    List<ImageExample> val = SyntheticImages.generate(12, SIZE, 35, "v");
    Trainer.of(config()).withProgress(null).train(new Parts(train, 9), new Parts(val, 4), tmp.resolve("whole"));
    Trainer.Result first = Trainer.of(config()).withProgress(null).withEpochBudget(1)
        .train(new Parts(train, 9), new Parts(val, 4), tmp.resolve("split"));
    assertThat(first.finished(), equalTo(false));
    List<Path> saved = new ArrayList<>();
    Trainer.of(config()).withProgress(null).withSaved(saved::add)
        .train(new Parts(train, 9), new Parts(val, 4), tmp.resolve("split"));
    assertThat("two more epochs and the export", saved.size(), equalTo(3));
    assertSameWeights(tmp.resolve("whole"), tmp.resolve("split"));
    assertThat(logWithoutTimes(tmp.resolve("split")), equalTo(logWithoutTimes(tmp.resolve("whole"))));
  }

  @Test
  void dataThatChangesBetweenEpochsIsRefused(@TempDir Path tmp) {
    List<ImageExample> train = SyntheticImages.generate(16, SIZE, 36, "t");
    Parts parts = new Parts(train, 8);
    ExampleSource shrinking = new ExampleSource() {
      int opened;

      @Override
      public List<String> parts() {
        return parts.parts();
      }

      @Override
      public Records open(int part) {
        if (++opened > 2) {
          parts.parts.get(part).remove(0);
        }
        return parts.open(part);
      }
    };
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Trainer.of(config()).withProgress(null)
        .train(shrinking, new Parts(train, 8), tmp.resolve("m")));
    assertThat(e.getMessage(), containsString("changed during training"));
  }
}
