package org.chexaudit.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.chexaudit.core.stats.BootstrapInterval;
import org.chexaudit.core.stats.RocCurve;
import org.chexaudit.core.stats.StratifiedResample;
import org.chexaudit.core.stats.SubgroupEvaluator;
import org.chexaudit.core.stats.YoudenRule;
import org.chexaudit.models.Architecture;
import org.chexaudit.models.Head;
import org.chexaudit.models.Predictor;
import org.chexaudit.models.Task;
import org.chexaudit.models.TrainConfig;
import org.chexaudit.models.Trainer;
import org.chexaudit.schemas.ImageExample;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SPLIT race probe (seeds-spec A6: a new race head on the frozen disease backbone, BatchNorm in
 * training mode as the original) is neither blind nor anti-predictive. One disease model learns a disc
 * whose brightness shows race ({@link ProbeImages}); a probe for the race shown finds it, and a probe for
 * a race label that nothing in the pixels shows stays at chance: its AUC interval, the original's
 * image-level bootstrap stratified on the 3-class target (A7.3), contains 0.5.
 */
class SplitProbeTest {
  private static final int SIZE = 24;
  private static final int REPLICATES = 500;
  private static final long SEED = 7;

  @TempDir static Path tmp;
  private static List<ImageExample> train;
  private static List<ImageExample> val;
  private static List<ImageExample> test;

  @BeforeAll
  static void trainDiseaseModel() throws IOException {
    train = ProbeImages.shown(400, SIZE, 1, "train");
    val = ProbeImages.shown(100, SIZE, 2, "validate");
    test = ProbeImages.shown(400, SIZE, 3, "test");
    Trainer.of(config(Task.DISEASE, 3)).train(train, val, tmp.resolve("disease"));
  }

  private static TrainConfig config(Task task, int epochs) {
    return TrainConfig.of(task, Architecture.SMALL_CNN).withImageSize(SIZE).withEpochs(epochs).withBatchSize(32)
        .withThreads(2).withSeed(SEED);
  }

  /** AUC of White vs rest and its 95 % bootstrap interval {@code [auc, lo, hi]}, for a probe trained on these labels. */
  private static double[] probeAuc(String name, List<ImageExample> tr, List<ImageExample> va, List<ImageExample> te)
      throws IOException {
    Path dir = tmp.resolve(name);
    Trainer.of(config(Task.RACE, 10).withFreezeBackboneFrom(tmp.resolve("disease"), false)).train(tr, va, dir);
    try (Predictor p = Predictor.load(dir)) {
      float[][] prob = p.predict(te).probabilities(Head.RACE);
      int[] race = te.stream().mapToInt(ImageExample::getRaceLabel).toArray();
      int[] white = RocCurve.oneVsRest(race, 0);
      double[] score = new double[te.size()];
      String[] strata = new String[te.size()];
      for (int i = 0; i < score.length; i++) {
        score[i] = prob[i][0];
        strata[i] = Integer.toString(race[i]);
      }
      SubgroupEvaluator whole = SubgroupEvaluator.of(white, score, List.of(), YoudenRule.create());
      double[] bounds = BootstrapInterval.run(whole, StratifiedResample.ofClasses(strata), SEED, REPLICATES, 0.95)[
          SubgroupEvaluator.index(-1, 0)];
      double auc = whole.evaluate(null)[SubgroupEvaluator.index(-1, 0)];
      System.err.printf("split-probe %s: White-vs-rest AUC %.3f (%.3f-%.3f)%n", name, auc, bounds[0], bounds[1]);
      return new double[] {auc, bounds[0], bounds[1]};
    }
  }

  @Test
  void aProbeForARaceTheFeaturesDoNotCarryStaysAtChance() throws IOException {
    double[] a = probeAuc("race-not-shown", ProbeImages.raceNotShown(train, 11), ProbeImages.raceNotShown(val, 12),
        ProbeImages.raceNotShown(test, 13));
    assertThat("lower bound", a[1], lessThan(0.5));
    assertThat("upper bound", a[2], greaterThan(0.5));
  }

  @Test
  void aProbeForARaceShownInTheFindingFindsIt() throws IOException {
    double[] a = probeAuc("race-shown", train, val, test);
    assertThat("lower bound", a[1], greaterThan(0.5));
  }
}
