package org.chexaudit.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.chexaudit.schemas.ImageExample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * Trains a model as the original scripts do (A5/A6 of the spec) and writes a {@link ModelDir}.
 * The sets are streamed, never held whole (see {@link ImageData}). Each epoch: shuffle (shards in a
 * seeded order, examples through the config's bounded shuffle buffer, seeded by seed and epoch), augment, one Adam step per batch per objective
 * (gradients accumulated over micro-batches), validation loss with BatchNorm in inference mode,
 * a checkpoint, and the best-validation-loss weights kept. The config's {@link Regimen} adds
 * CheXclusion's behaviour (B4): Adam state reset at each epoch start, gradients clipped by value, and
 * after each epoch the {@link PlateauSchedule}'s learning-rate halving and early stop. A call on a dir
 * holding an unfinished run of the same config and data resumes from its last checkpoint (learning
 * rate and stop decision included) with the same result.
 */
public final class Trainer {
  private final TrainConfig config;
  private final Logger progress;
  private final int epochBudget;
  private final TfDevice device;
  private final boolean prefetch;
  private final Saved saved;
  private final Function<String, Path> localCopy;

  private Trainer(TrainConfig config, Logger progress, int epochBudget, TfDevice device, boolean prefetch,
      Saved saved, Function<String, Path> localCopy) {
    this.config = Objects.requireNonNull(config, "config");
    this.progress = progress;
    this.epochBudget = epochBudget;
    this.device = Objects.requireNonNull(device, "device");
    this.prefetch = prefetch;
    this.saved = Objects.requireNonNull(saved, "saved");
    this.localCopy = Objects.requireNonNull(localCopy, "localCopy");
  }

  public static Trainer of(TrainConfig config) {
    return new Trainer(config, LoggerFactory.getLogger(Trainer.class), 0, TfDevice.configured(), true, dir -> {},
        Path::of);
  }

  /** Told each time the model dir holds a new consistent state: after each epoch's checkpoint, and after the export. */
  @FunctionalInterface
  public interface Saved {
    /** {@code modelDir} now holds epoch {@code epoch}'s checkpoint, log and best weights (or the finished model). */
    void saved(Path modelDir) throws IOException;
  }

  /**
   * Called whenever the model dir holds a new consistent state, e.g. to copy a local model dir to shared
   * storage as training goes (TensorFlow writes only local files), so that a killed run can resume there.
   */
  public Trainer withSaved(Saved s) {
    return new Trainer(config, progress, epochBudget, device, prefetch, s, localCopy);
  }

  /** The logger of the progress lines (null: none); on a Flink worker they land in its TaskManager log. */
  public Trainer withProgress(Logger out) {
    return new Trainer(config, out, epochBudget, device, prefetch, saved, localCopy);
  }

  /** The device the training session runs on (default: {@link TfDevice#configured()}). */
  public Trainer withDevice(TfDevice d) {
    return new Trainer(config, progress, epochBudget, d, prefetch, saved, localCopy);
  }

  /**
   * Whether the next batch's images are read and augmented on another thread while the current step
   * runs (default on; results are the same either way: augmentation is keyed by seed, epoch and
   * example, not by the order of work).
   */
  public Trainer withPrefetch(boolean on) {
    return new Trainer(config, progress, epochBudget, device, on, saved, localCopy);
  }

  /**
   * How a path the configuration names, the model folder of {@link TrainConfig#freezeBackboneFrom()} or the
   * weights file of {@link TrainConfig#initWeights()}, becomes a local one TensorFlow can read (default: it is
   * one), e.g. a copy of a folder or file on HDFS. The names, not the copies, are recorded in
   * {@code model.json}, so a resumed run matches wherever the copies land.
   */
  public Trainer withLocalCopies(Function<String, Path> localCopy) {
    return new Trainer(config, progress, epochBudget, device, prefetch, saved, localCopy);
  }

  /** Train at most {@code epochs} more epochs in this call, then return (rerun to continue). */
  public Trainer withEpochBudget(int epochs) {
    if (epochs < 0) {
      throw new IllegalArgumentException("epochBudget must be >= 0, got " + epochs);
    }
    return new Trainer(config, progress, epochs, device, prefetch, saved, localCopy);
  }

  public TrainConfig config() {
    return config;
  }

  /** What a {@link #train} call ended with. */
  public record Result(Path modelDir, int epochsDone, boolean finished, int bestEpoch, double bestValLoss,
      boolean stoppedEarly, int trainImages, int validationImages) {}

  /** Trains on examples in memory, each set as one part (see {@link #train(ExampleSource, ExampleSource, Path)}). */
  public Result train(Iterable<ImageExample> train, Iterable<ImageExample> val, Path modelDir) throws IOException {
    return train(ExampleSource.of(train), ExampleSource.of(val), modelDir);
  }

  /**
   * Trains into the local folder {@code modelDir}, streaming both sets from their sources every epoch
   * (memory: the config's shuffle buffer and a batch or two, not the sets).
   */
  public Result train(ExampleSource train, ExampleSource val, Path modelDir) throws IOException {
    long started = System.nanoTime();
    ModelSpec spec = config.modelSpec();
    List<Head> heads = config.task().heads();
    ImageData tr = ImageData.of(train, spec, heads, "train");
    ImageData va = ImageData.of(val, spec, heads, "validation");
    ModelDir dir = ModelDir.at(modelDir);
    Files.createDirectories(dir.lastCheckpoint().getParent());
    Files.createDirectories(dir.bestWeights().getParent());
    writeOrCheckModelJson(dir, spec, tr, va);

    NetworkGraph.TrainingOptions options = new NetworkGraph.TrainingOptions(config.freezeBackboneFrom() == null,
        !config.strictLinearProbe(), config.beta1(), config.beta2(), config.epsilon(), regimen().clipValue());
    Progress out = new Progress(progress, config.task().key() + "/" + config.architecture().name().toLowerCase(),
        (long) config.epochs() * trainBatches(tr), 5);
    State state;
    long graphStart = System.nanoTime();
    try (NetworkGraph g = NetworkGraph.training(spec, options, config.threads(), device)) {
      long graphDone = System.nanoTime();
      state = Files.exists(dir.lastCheckpoint()) ? restore(g, dir, out) : initialise(g);
      out.message(String.format(java.util.Locale.ROOT, "start-up: data %.1fs, graph %.1fs %s, variables %.1fs",
          (graphStart - started) / 1e9, (graphDone - graphStart) / 1e9, phases(g), (System.nanoTime() - graphDone) / 1e9));
      state.firstStepFrom = started;
      TrainingLog log = TrainingLog.open(dir.trainingLog(), heads, state.epoch, regimen().plateau() != null);
      int stopAt = epochBudget > 0 ? Math.min(config.epochs(), state.epoch + epochBudget) : config.epochs();
      while (state.epoch < stopAt && !state.stopped) {
        int epoch = state.epoch + 1;
        long t0 = System.nanoTime();
        if (regimen().resetAdamEachEpoch()) {
          resetAdam(g, state);
        }
        float epochLr = state.lr;
        Map<Head, Double> trainLoss = trainEpoch(g, tr, epoch, state, out);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        Map<Head, Double> valLoss = evaluate(g, va);
        double seconds = (System.nanoTime() - t0) / 1e9;
        int trained = Math.min(tr.count(), trainBatches(tr) * config.batchSize());
        log.append(epoch, trainLoss, valLoss, seconds, trained * g.objectives.size() / trainSeconds, config.seed(),
            epochLr);
        float monitored = valLoss.get(heads.get(0)).floatValue();
        state.epoch = epoch;
        if (monitored < state.bestValLoss) {
          state.bestValLoss = monitored;
          state.bestEpoch = epoch;
          Npz.write(dir.bestWeights(), g.vars.read(g.session, NetworkGraph::isModelState));
          ModelDir.writeJson(dir.bestJson(), Map.of("epoch", epoch, "val_loss", (double) monitored));
        }
        PlateauSchedule plateau = regimen().plateau();
        if (plateau != null) {
          PlateauSchedule.Step next = plateau.after(epoch, monitored, state.bestEpoch, state.bestValLoss, state.lr);
          state.lr = next.nextLearningRate();
          state.stopped = next.stop();
        }
        Npz.write(dir.lastCheckpoint(), checkpoint(g, state));
        saved.saved(modelDir);
        out.message(String.format(java.util.Locale.ROOT, "epoch %d/%d train_loss %.5f val_loss %.5f best epoch %d (%.1fs)",
            epoch, config.epochs(), trainLoss.get(heads.get(0)), valLoss.get(heads.get(0)), state.bestEpoch, seconds)
            + (plateau == null ? "" : String.format(java.util.Locale.ROOT, " lr %.3g -> %.3g", epochLr, state.lr))
            + (state.stopped ? ": stopped, " + (epoch - state.bestEpoch) + " epochs without improvement" : ""));
      }
    }
    boolean finished = state.stopped || state.epoch >= config.epochs();
    if (finished) {
      long t0 = System.nanoTime();
      SavedModelExport.export(spec, dir.bestWeights(), dir.savedModel(), config.threads(), device);
      out.message(String.format(java.util.Locale.ROOT, "SavedModel exported in %.1fs", (System.nanoTime() - t0) / 1e9));
      saved.saved(modelDir);
    }
    return new Result(modelDir, state.epoch, finished, state.bestEpoch, state.bestValLoss, state.stopped, tr.count(),
        va.count());
  }

  private static String phases(NetworkGraph g) {
    StringBuilder b = new StringBuilder("(");
    g.buildSeconds.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(k).append(' ')
        .append(String.format(java.util.Locale.ROOT, "%.1f", v)));
    return b.append(')').toString();
  }

  private Regimen regimen() {
    return config.regimen();
  }

  /** CheXclusion re-creates Adam every epoch: moments back to zero, bias correction back to t = 1. */
  private static void resetAdam(NetworkGraph g, State st) {
    g.vars.write(g.session, g.vars.initialValues(0, s -> s.name().startsWith("optimizer.")));
    st.steps.replaceAll((h, n) -> 0L);
  }

  private int trainBatches(ImageData tr) {
    int all = (tr.count() + config.batchSize() - 1) / config.batchSize();
    return config.maxTrainBatchesPerEpoch() > 0 ? Math.min(all, config.maxTrainBatchesPerEpoch()) : all;
  }

  /** Counters that, with the variables, define where training stands. */
  private static final class State {
    int epoch;
    float bestValLoss = Float.POSITIVE_INFINITY;
    int bestEpoch;
    /** The learning rate of the next epoch (changed only by a {@link PlateauSchedule}). */
    float lr;
    /** The schedule's early stop has fired: the run is finished. */
    boolean stopped;
    final Map<Head, Long> steps = new EnumMap<>(Head.class);
    /** System.nanoTime() when this train() call started, until its first step is reported (then 0). */
    long firstStepFrom;
  }

  private State initialise(NetworkGraph g) throws IOException {
    Map<String, NamedArray> values = g.vars.initialValues(config.seed(), s -> true);
    if (config.initWeights() != null) {
      values.putAll(WeightFiles.backbone(localCopy.apply(config.initWeights()), g.vars));
    }
    if (config.freezeBackboneFrom() != null) {
      ModelDir source = ModelDir.existing(localCopy.apply(config.freezeBackboneFrom()));
      ModelSpec s = source.spec();
      if (s.architecture() != config.architecture() || s.imageSize() != config.imageSize()) {
        throw new IllegalArgumentException("freezeBackboneFrom " + source.root() + " holds a "
            + s.architecture().name().toLowerCase() + " for " + s.imageSize() + "x" + s.imageSize()
            + " images; this run is " + config.architecture().name().toLowerCase() + " at " + config.imageSize());
      }
      values.putAll(WeightFiles.backbone(source.bestWeights(), g.vars));
    }
    g.vars.write(g.session, values);
    State st = new State();
    st.lr = config.learningRate();
    for (NetworkGraph.Objective o : g.objectives) {
      st.steps.put(o.head.head(), 0L);
    }
    return st;
  }

  private Map<String, NamedArray> checkpoint(NetworkGraph g, State st) {
    Map<String, NamedArray> all = new LinkedHashMap<>(g.vars.read(g.session, s -> !s.group().equals("accumulator")));
    putScalar(all, "trainer.epoch", st.epoch);
    putScalar(all, "trainer.best_val_loss", st.bestValLoss);
    putScalar(all, "trainer.best_epoch", st.bestEpoch);
    st.steps.forEach((h, n) -> putScalar(all, "trainer.steps." + h.key(), n));
    if (regimen().plateau() != null) {
      putScalar(all, "trainer.lr", st.lr);
      putScalar(all, "trainer.stopped", st.stopped ? 1 : 0);
    }
    return all;
  }

  private static void putScalar(Map<String, NamedArray> m, String name, float v) {
    m.put(name, new NamedArray(name, new long[0], new float[] {v}));
  }

  private State restore(NetworkGraph g, ModelDir dir, Progress out) throws IOException {
    Map<String, NamedArray> all = Npz.read(dir.lastCheckpoint());
    State st = new State();
    st.epoch = (int) scalar(all, "trainer.epoch");
    st.bestValLoss = scalar(all, "trainer.best_val_loss");
    st.bestEpoch = (int) scalar(all, "trainer.best_epoch");
    st.lr = regimen().plateau() != null ? scalar(all, "trainer.lr") : config.learningRate();
    st.stopped = regimen().plateau() != null && scalar(all, "trainer.stopped") != 0;
    for (NetworkGraph.Objective o : g.objectives) {
      st.steps.put(o.head.head(), (long) scalar(all, "trainer.steps." + o.head.head().key()));
    }
    all.keySet().removeIf(k -> k.startsWith("trainer."));
    g.vars.write(g.session, all);
    out.message("resumed from " + dir.lastCheckpoint() + " after epoch " + st.epoch);
    return st;
  }

  private static float scalar(Map<String, NamedArray> m, String name) {
    NamedArray a = m.get(name);
    if (a == null) {
      throw new IllegalArgumentException("checkpoint has no " + name);
    }
    return a.values()[0];
  }

  /** The examples of one batch and their network inputs (augmented as the regimen says, or not, and cropped). */
  private record Batch(List<TrainingExample> examples, List<byte[]> images) {}

  private Map<Head, Double> trainEpoch(NetworkGraph g, ImageData data, int epoch, State st, Progress out) {
    int batches = trainBatches(data);
    Map<Head, Double> sums = new EnumMap<>(Head.class);
    long seen = 0;
    ExecutorService loader = prefetch && batches > 1 ? Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "chexaudit-batch-prefetch");
      t.setDaemon(true);
      return t;
    }) : null;
    // One thread at a time reads the stream: the next batch is read only after the previous one was awaited.
    ImageData.Examples examples = data.shuffled(config.seed(), epoch, config.shuffleBuffer());
    try {
      Future<Batch> next = null;
      for (int b = 0; b < batches; b++) {
        Batch batch = next != null ? await(next) : nextBatch(examples, data, epoch);
        next = null;
        if (loader != null && b + 1 < batches) {
          next = loader.submit(() -> nextBatch(examples, data, epoch));
        }
        for (NetworkGraph.Objective o : g.objectives) {
          double loss = step(g, o, batch, data.size, st);
          sums.merge(o.head.head(), loss * batch.examples.size(), Double::sum);
        }
        if (st.firstStepFrom != 0) {
          out.message(String.format(java.util.Locale.ROOT, "first step done %.1fs after train() started",
              (System.nanoTime() - st.firstStepFrom) / 1e9));
          st.firstStepFrom = 0;
        }
        seen += batch.examples.size();
        out.batchDone(epoch, config.epochs(), b + 1, batches, batch.examples.size(),
            sums.get(g.objectives.get(0).head.head()) / seen);
      }
    } finally {
      stop(loader);
      examples.close(); // after the loader stopped: it may have been reading a part
    }
    Map<Head, Double> means = new EnumMap<>(Head.class);
    final long n = seen;
    sums.forEach((h, s) -> means.put(h, s / n));
    return means;
  }

  private static void stop(ExecutorService loader) {
    if (loader == null) {
      return;
    }
    loader.shutdownNow();
    try {
      loader.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The next {@code batchSize} examples of the epoch's stream (fewer at its end) and their inputs. */
  private Batch nextBatch(ImageData.Examples examples, ImageData data, int epoch) {
    List<TrainingExample> batch = new ArrayList<>(config.batchSize());
    List<byte[]> images = new ArrayList<>(config.batchSize());
    while (batch.size() < config.batchSize() && examples.hasNext()) {
      TrainingExample e = examples.next();
      batch.add(e);
      images.add(config.augment()
          ? e.augmented(data.size, data.input, regimen(), Augmenter.random(config.seed(), epoch, e.augmentationKey()))
          : e.input(data.size, data.input));
    }
    if (batch.isEmpty()) {
      throw new IllegalStateException("the training data ended before the epoch's " + trainBatches(data)
          + " batches; did the shards change during training?");
    }
    return new Batch(batch, images);
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while preparing a batch", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) {
        throw r;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("preparing a batch failed", c);
    }
  }

  /** One optimizer step of one objective on one batch; returns the batch loss. */
  private double step(NetworkGraph g, NetworkGraph.Objective o, Batch batch, int size, State st) {
    Head h = o.head.head();
    int classes = o.head.classes();
    List<TrainingExample> examples = batch.examples;
    float normaliser = 0;
    for (TrainingExample e : examples) {
      normaliser += h.multiLabel() ? classes : config.classWeight(h, e.classOf(h));
    }
    double loss = 0;
    for (int from = 0; from < examples.size(); from += config.microBatchSize()) {
      int to = Math.min(examples.size(), from + config.microBatchSize());
      int m = to - from;
      float[] targets = new float[m * classes];
      float[] weights = new float[m];
      for (int r = 0; r < m; r++) {
        TrainingExample e = examples.get(from + r);
        e.target(h, targets, r, classes);
        weights[r] = h.multiLabel() ? 1f : config.classWeight(h, e.classOf(h));
      }
      List<Tensor> feeds = new ArrayList<>();
      try {
        Session.Runner run = g.session.runner();
        run.feed(g.images, track(feeds, Feeds.images(batch.images.subList(from, to), size)));
        run.feed(o.targets, track(feeds, Feeds.matrix(targets, m, classes)));
        run.feed(o.weights, track(feeds, Feeds.vector(weights)));
        run.feed(o.normaliser, track(feeds, TFloat32.scalarOf(normaliser)));
        for (Op op : from == 0 ? o.accumulateFirst : o.accumulateMore) {
          run.addTarget(op);
        }
        for (Op op : g.bnUpdates) {
          run.addTarget(op);
        }
        run.fetch(o.loss);
        try (org.tensorflow.Result r = run.run()) {
          loss += ((TFloat32) r.get(0)).getFloat();
        }
      } finally {
        feeds.forEach(Tensor::close);
      }
    }
    long t = st.steps.merge(h, 1L, Long::sum);
    double lrCorrected = st.lr / (1 - Math.pow(config.beta1(), t));
    double varianceCorrection = Math.sqrt(1 - Math.pow(config.beta2(), t));
    try (TFloat32 lr = TFloat32.scalarOf((float) lrCorrected);
        TFloat32 vc = TFloat32.scalarOf((float) varianceCorrection)) {
      Session.Runner run = g.session.runner().feed(g.lrCorrected, lr).feed(g.varianceCorrection, vc);
      o.apply.forEach(run::addTarget);
      run.run().close();
    }
    return loss;
  }

  private static <T extends Tensor> T track(List<Tensor> all, T t) {
    all.add(t);
    return t;
  }

  /** Weighted mean per-sample loss of each head over {@code data}, BatchNorm in inference mode. */
  Map<Head, Double> evaluate(NetworkGraph g, ImageData data) {
    Map<Head, double[]> sums = new EnumMap<>(Head.class);
    int chunk = config.microBatchSize();
    try (ImageData.Examples examples = data.inOrder()) {
      while (examples.hasNext()) {
        List<TrainingExample> part = new ArrayList<>(chunk);
        while (part.size() < chunk && examples.hasNext()) {
          part.add(examples.next());
        }
        evaluateChunk(g, part, data, sums);
      }
    }
    Map<Head, Double> out = new EnumMap<>(Head.class);
    sums.forEach((h, a) -> out.put(h, a[0] / a[1]));
    return out;
  }

  /** Adds the weighted losses of {@code examples} and their weights to {@code sums}. */
  private void evaluateChunk(NetworkGraph g, List<TrainingExample> examples, ImageData data, Map<Head, double[]> sums) {
    int m = examples.size();
    List<Tensor> feeds = new ArrayList<>();
    List<HeadSpec> heads = g.spec.heads();
    List<float[]> weights = new ArrayList<>();
    List<byte[]> images = new ArrayList<>(m);
    for (TrainingExample e : examples) {
      images.add(e.input(data.size, data.input));
    }
    try {
      Session.Runner run = g.session.runner();
      run.feed(g.images, track(feeds, Feeds.images(images, data.size)));
      for (HeadSpec hs : heads) {
        float[] targets = new float[m * hs.classes()];
        float[] w = new float[m];
        for (int r = 0; r < m; r++) {
          examples.get(r).target(hs.head(), targets, r, hs.classes());
          w[r] = hs.head().multiLabel() ? 1f : config.classWeight(hs.head(), examples.get(r).classOf(hs.head()));
        }
        weights.add(w);
        run.feed(g.evalTargets.get(hs.head()), track(feeds, Feeds.matrix(targets, m, hs.classes())));
        run.fetch(g.evalLoss.get(hs.head()));
      }
      try (org.tensorflow.Result r = run.run()) {
        for (int k = 0; k < heads.size(); k++) {
          float[] l = Feeds.read(r.get(k));
          double[] acc = sums.computeIfAbsent(heads.get(k).head(), x -> new double[2]);
          for (int i = 0; i < m; i++) {
            acc[0] += weights.get(k)[i] * l[i];
            acc[1] += weights.get(k)[i] * (heads.get(k).head().multiLabel() ? heads.get(k).classes() : 1);
          }
        }
      }
    } finally {
      feeds.forEach(Tensor::close);
    }
  }

  private void writeOrCheckModelJson(ModelDir dir, ModelSpec spec, ImageData tr, ImageData va) throws IOException {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("format", 1);
    meta.put("spec", ModelDir.specMap(spec));
    meta.put("config", config.toMap());
    meta.put("train", Map.of("count", tr.count(), "fingerprint", tr.fingerprint));
    meta.put("validation", Map.of("count", va.count(), "fingerprint", va.fingerprint));
    meta.put("tensorflow", TensorFlow.version());
    if (Files.exists(dir.modelJson())) {
      Map<String, Object> old = ModelDir.readJson(dir.modelJson());
      for (String key : List.of("spec", "config", "train", "validation")) {
        // Round-trip through JSON text so numbers compare as they were stored.
        Object mine = ModelDir.JSON.readTree(ModelDir.JSON.writeValueAsString(meta.get(key)));
        Object theirs = ModelDir.JSON.valueToTree(old.get(key));
        if (!mine.equals(theirs)) {
          throw new IllegalArgumentException("model dir " + dir.root() + " holds a run with a different " + key
              + " (" + theirs + " vs " + mine + "); use a new model dir");
        }
      }
      return;
    }
    ModelDir.writeJson(dir.modelJson(), meta);
  }
}
