package org.chexaudit.transforms.ml;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.chexaudit.models.Architecture;
import org.chexaudit.models.Predictor;
import org.chexaudit.models.Task;
import org.chexaudit.models.TrainConfig;
import org.chexaudit.models.Trainer;
import org.chexaudit.schemas.ImageExample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One {@link Predictor} per JVM, shared by {@link RunInference}'s DoFn instances (issue 18 item 5). */
class SharedPredictorsTest {
  private static final int SIZE = 16;

  @Test
  void twoDoFnInstancesShareOneLoadedModelClosedAfterBothTearDown(@TempDir Path tmp) throws Exception {
    List<ImageExample> images = images(12);
    Path model = tmp.resolve("model");
    Trainer.of(TrainConfig.of(Task.DISEASE, Architecture.SMALL_CNN).withImageSize(SIZE).withEpochs(1)
        .withBatchSize(8).withThreads(1)).withProgress(null).train(images, images, model);

    RunInference.ScoreFn first = new RunInference.ScoreFn(model.toString(), 8, 1, false);
    RunInference.ScoreFn second = new RunInference.ScoreFn(model.toString(), 8, 1, false);
    SharedPredictors.Key key = first.key();
    assertThat(SharedPredictors.LOADED.holders(key), is(0));
    first.setup();
    second.setup();
    assertThat("one model for both instances", second.predictor(), sameInstance(first.predictor()));
    assertThat(SharedPredictors.LOADED.holders(key), is(2));

    Predictor shared = first.predictor();
    first.teardown();
    assertThat(SharedPredictors.LOADED.holders(key), is(1));
    assertThat("still open for the other instance", shared.predict(images.subList(0, 4)).ids().size(), is(4));

    second.teardown();
    assertThat(SharedPredictors.LOADED.holders(key), is(0));
    assertThrows(IllegalStateException.class, () -> shared.predict(images.subList(0, 4)),
        "closed after the last teardown");

    // other settings are another model: a batch size of 4 loads its own
    RunInference.ScoreFn other = new RunInference.ScoreFn(model.toString(), 4, 1, false);
    RunInference.ScoreFn again = new RunInference.ScoreFn(model.toString(), 8, 1, false);
    other.setup();
    again.setup();
    assertThat(SharedPredictors.LOADED.holders(other.key()), is(1));
    assertThat(SharedPredictors.LOADED.holders(again.key()), is(1));
    other.teardown();
    again.teardown();
  }

  @Test
  void sharedResourceLoadsOnceAndClosesOnLastRelease() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    List<String> closed = Collections.synchronizedList(new ArrayList<>());
    SharedResource<String, AutoCloseable> shared = new SharedResource<>(k -> {
      loads.incrementAndGet();
      return () -> closed.add(k);
    });
    AutoCloseable a = shared.acquire("m");
    AutoCloseable b = shared.acquire("m");
    assertThat(b, sameInstance(a));
    assertThat(loads.get(), is(1));
    shared.release("m");
    assertThat(closed, equalTo(List.of()));
    shared.release("m");
    assertThat(closed, equalTo(List.of("m")));
    assertThrows(IllegalStateException.class, () -> shared.release("m"));
    shared.acquire("m");
    assertThat("loaded again after it was closed", loads.get(), is(2));
    shared.release("m");
  }

  private static List<ImageExample> images(int n) {
    Random rng = new Random(3);
    List<ImageExample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] px = new byte[SIZE * SIZE];
      rng.nextBytes(px);
      List<Float> labels = new ArrayList<>();
      for (int k = 0; k < 14; k++) {
        labels.add(rng.nextBoolean() ? 1f : 0f);
      }
      out.add(ImageExample.newBuilder().setId("i" + i).setPatientId("p" + i).setSplit("train").setHeight(SIZE)
          .setWidth(SIZE).setPixels(ByteBuffer.wrap(px)).setLabels(labels).setSexLabel(i % 2).setRaceLabel(i % 3)
          .setDiseaseLabel(null).build());
    }
    return out;
  }
}
