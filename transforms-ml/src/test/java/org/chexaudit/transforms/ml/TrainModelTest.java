package org.chexaudit.transforms.ml;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Path;
import org.apache.beam.sdk.util.SerializableUtils;
import org.chexaudit.core.imaging.TrainSubset;
import org.chexaudit.models.Architecture;
import org.chexaudit.models.Task;
import org.chexaudit.models.TrainConfig;
import org.junit.jupiter.api.Test;

class TrainModelTest {

  @Test
  void carriesItsTrainConfigToTheWorkerWithPaths() {
    TrainConfig config = TrainConfig.of(Task.SEX, Architecture.SMALL_CNN)
        .withFreezeBackboneFrom(Path.of("/runs/disease/model"), false).withThreads(1);
    TrainModel.TrainFn fn = new TrainModel.TrainFn("/runs/sex", config, TrainSubset.all(), "train", "validate");
    TrainModel.TrainFn copy = SerializableUtils.ensureSerializable(fn);
    assertThat(copy.config(), equalTo(config));
  }
}
