package org.chexaudit.models;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.chexaudit.schemas.ImageExample;
import org.tensorflow.Session;
import org.tensorflow.Tensor;

/**
 * Experiment for issue 15's validation-loss jumps: trains epoch by epoch and after each epoch scores
 * the checkpoint four ways, all with BatchNorm in inference mode: the validation set as the trainer
 * logs it (running statistics), the training set (no augmentation) on the same running statistics,
 * and both again after the running statistics were re-estimated with the epoch's final weights
 * (forward passes over the training set, no weight update). If re-estimated statistics remove the
 * jumps, and the training set jumps with the validation set, the cause is the running statistics
 * lagging behind the weights, not the validation data or the validation code.
 *
 * <pre>java -cp ... org.chexaudit.models.ValLossExperiment [arch] [trainImages] [size] [batch] [epochs] [task]</pre>
 */
public final class ValLossExperiment {
  private ValLossExperiment() {}

  public static void main(String[] args) throws Exception {
    Architecture arch = Architecture.parse(args.length > 0 ? args[0] : "densenet121");
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 600;
    int size = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    int batch = args.length > 3 ? Integer.parseInt(args[3]) : 32;
    int epochs = args.length > 4 ? Integer.parseInt(args[4]) : 8;
    Task task = Task.parse(args.length > 5 ? args[5] : "sex");
    int passes = 3;
    List<ImageExample> train = SyntheticImages.generate(n, size, 21, "t");
    List<ImageExample> val = SyntheticImages.generate(n / 4, size, 22, "v");
    TrainConfig c = TrainConfig.of(task, arch).withImageSize(size).withEpochs(epochs).withBatchSize(batch);
    Trainer trainer = Trainer.of(c).withProgress(null).withEpochBudget(1);
    Path dir = Files.createTempDirectory("val-loss-experiment");
    ModelSpec spec = c.modelSpec();
    ImageData tr = ImageData.of(train, spec, task.heads(), "train");
    ImageData va = ImageData.of(val, spec, task.heads(), "validation");
    Head h = task.heads().get(0);
    NetworkGraph.TrainingOptions options = new NetworkGraph.TrainingOptions(true, true, c.beta1(), c.beta2(),
        c.epsilon());
    System.out.printf(Locale.ROOT, "%s %s, %d train / %d val images of %dx%d, batch %d (%d steps per epoch)%n",
        arch.name().toLowerCase(Locale.ROOT), task.key(), n, n / 4, size, size, batch, (n + batch - 1) / batch);
    System.out.println("epoch,train_loss_logged,val_loss_logged,val_running,train_running,val_reestimated,"
        + "train_reestimated");
    try (NetworkGraph g = NetworkGraph.training(spec, options, 0)) {
      for (int e = 1; e <= epochs; e++) {
        trainer.train(train, val, dir);
        List<String> log = Files.readAllLines(dir.resolve("training_log.csv"));
        String[] last = log.get(log.size() - 1).split(",");
        Map<String, NamedArray> ckpt = Npz.read(dir.resolve("checkpoints/last.npz"));
        ckpt.keySet().removeIf(k -> k.startsWith("trainer."));
        g.vars.write(g.session, ckpt);
        double valRunning = trainer.evaluate(g, va).get(h);
        double trainRunning = trainer.evaluate(g, tr).get(h);
        for (int p = 0; p < passes; p++) {
          updateRunningStatistics(g, tr, batch);
        }
        double valRe = trainer.evaluate(g, va).get(h);
        double trainRe = trainer.evaluate(g, tr).get(h);
        System.out.printf(Locale.ROOT, "%d,%s,%s,%.5f,%.5f,%.5f,%.5f%n", e, last[1], last[2], valRunning,
            trainRunning, valRe, trainRe);
      }
    }
  }

  /** One pass of training-mode forward passes (no weight update) that only runs the running-statistics updates. */
  private static void updateRunningStatistics(NetworkGraph g, ImageData data, int batch) {
    ImageData.Examples examples = data.inOrder();
    while (examples.hasNext()) {
      List<byte[]> images = new ArrayList<>(batch);
      while (images.size() < batch && examples.hasNext()) {
        images.add(examples.next().input(data.size, data.input));
      }
      List<Tensor> feeds = new ArrayList<>();
      try {
        Tensor im = Feeds.images(images, data.size);
        feeds.add(im);
        Session.Runner r = g.session.runner().feed(g.images, (org.tensorflow.types.TUint8) im);
        g.bnUpdates.forEach(r::addTarget);
        r.run();
      } finally {
        feeds.forEach(Tensor::close);
      }
    }
  }
}
