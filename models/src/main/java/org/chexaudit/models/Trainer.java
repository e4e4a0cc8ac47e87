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
import java.util.SplittableRandom;
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
 * Each epoch: shuffle (seeded by seed and epoch), augment, one Adam step per batch per objective
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

  private Trainer(TrainConfig config, Logger progress, int epochBudget, TfDevice device, boolean prefetch) {
    this.config = Objects.requireNonNull(config, "config");
    this.progress = progress;
    this.epochBudget = epochBudget;
    this.device = Objects.requireNonNull(device, "device");
    this.prefetch = prefetch;
  }

  public static Trainer of(TrainConfig config) {
    return new Trainer(config, LoggerFactory.getLogger(Trainer.class), 0, TfDevice.configured(), true);
  }

  /** The logger of the progress lines (null: none); on a Flink worker they land in its TaskManager log. */
  public Trainer withProgress(Logger out) {
    return new Trainer(config, out, epochBudget, device, prefetch);
  }

  /** The device the training session runs on (default: {@link TfDevice#configured()}). */
  public Trainer withDevice(TfDevice d) {
    return new Trainer(config, progress, epochBudget, d, prefetch);
  }

  /**
   * Whether the next batch's images are read and augmented on another thread while the current step
   * runs (default on; results are the same either way: augmentation is keyed by seed, epoch and
   * example, not by the order of work).
   */
  public Trainer withPrefetch(boolean on) {
    return new Trainer(config, progress, epochBudget, device, on);
  }

  /** Train at most {@code epochs} more epochs in this call, then return (rerun to continue). */
  public Trainer withEpochBudget(int epochs) {
    if (epochs < 0) {
      throw new IllegalArgumentException("epochBudget must be >= 0, got " + epochs);
    }
    return new Trainer(config, progress, epochs, device, prefetch);
  }

  public TrainConfig config() {
    return config;
  }

  /** What a {@link #train} call ended with. */
  public record Result(Path modelDir, int epochsDone, boolean finished, int bestEpoch, double bestValLoss,
      boolean stoppedEarly) {}

  public Result train(Iterable<ImageExample> train, Iterable<ImageExample> val, Path modelDir) throws IOException {
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
    }
    return new Result(modelDir, state.epoch, finished, state.bestEpoch, state.bestValLoss, state.stopped);
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
      values.putAll(WeightFiles.backbone(config.initWeights(), g.vars));
    }
    if (config.freezeBackboneFrom() != null) {
      ModelDir source = ModelDir.existing(config.freezeBackboneFrom());
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

  private static int[] permutation(int n, long seed, int epoch) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(seed * 31 + epoch * 0x2545F4914F6CDD1DL);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  private Map<Head, Double> trainEpoch(NetworkGraph g, ImageData data, int epoch, State st, Progress out) {
    int[] order = permutation(data.count(), config.seed(), epoch);
    int batches = trainBatches(data);
    Map<Head, Double> sums = new EnumMap<>(Head.class);
    long seen = 0;
    ExecutorService loader = prefetch && batches > 1 ? Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "chexaudit-batch-prefetch");
      t.setDaemon(true);
      return t;
    }) : null;
    try {
      Future<List<byte[]>> next = null;
      for (int b = 0; b < batches; b++) {
        int[] idx = batchIndices(order, b, data);
        List<byte[]> images = next != null ? await(next) : batchImages(data, idx, epoch);
        next = null;
        if (loader != null && b + 1 < batches) {
          int[] nextIdx = batchIndices(order, b + 1, data);
          next = loader.submit(() -> batchImages(data, nextIdx, epoch));
        }
        for (NetworkGraph.Objective o : g.objectives) {
          double loss = step(g, o, data, idx, images, st);
          sums.merge(o.head.head(), loss * idx.length, Double::sum);
        }
        if (st.firstStepFrom != 0) {
          out.message(String.format(java.util.Locale.ROOT, "first step done %.1fs after train() started",
              (System.nanoTime() - st.firstStepFrom) / 1e9));
          st.firstStepFrom = 0;
        }
        seen += idx.length;
        out.batchDone(epoch, config.epochs(), b + 1, batches, idx.length,
            sums.get(g.objectives.get(0).head.head()) / seen);
      }
    } finally {
      if (loader != null) {
        loader.shutdownNow();
      }
    }
    Map<Head, Double> means = new EnumMap<>(Head.class);
    final long n = seen;
    sums.forEach((h, s) -> means.put(h, s / n));
    return means;
  }

  private int[] batchIndices(int[] order, int b, ImageData data) {
    int from = b * config.batchSize();
    int to = Math.min(data.count(), from + config.batchSize());
    return java.util.Arrays.copyOfRange(order, from, to);
  }

  /** The network inputs of one batch: augmented as the regimen says (or not), cropped. */
  private List<byte[]> batchImages(ImageData data, int[] idx, int epoch) {
    List<byte[]> images = new ArrayList<>(idx.length);
    for (int i : idx) {
      images.add(config.augment() ? data.augmented(i, regimen(), Augmenter.random(config.seed(), epoch, i))
          : data.input(i));
    }
    return images;
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
  private double step(NetworkGraph g, NetworkGraph.Objective o, ImageData data, int[] idx, List<byte[]> images, State st) {
    Head h = o.head.head();
    int classes = o.head.classes();
    float normaliser = 0;
    for (int i : idx) {
      normaliser += h.multiLabel() ? classes : config.classWeight(h, data.classOf(h, i));
    }
    double loss = 0;
    for (int from = 0; from < idx.length; from += config.microBatchSize()) {
      int to = Math.min(idx.length, from + config.microBatchSize());
      int m = to - from;
      float[] targets = new float[m * classes];
      float[] weights = new float[m];
      for (int r = 0; r < m; r++) {
        int i = idx[from + r];
        data.target(h, i, targets, r, classes);
        weights[r] = h.multiLabel() ? 1f : config.classWeight(h, data.classOf(h, i));
      }
      List<Tensor> feeds = new ArrayList<>();
      try {
        Session.Runner run = g.session.runner();
        run.feed(g.images, track(feeds, Feeds.images(images.subList(from, to), data.size)));
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
    for (int from = 0; from < data.count(); from += chunk) {
      int to = Math.min(data.count(), from + chunk);
      int m = to - from;
      List<Tensor> feeds = new ArrayList<>();
      List<HeadSpec> heads = g.spec.heads();
      List<float[]> weights = new ArrayList<>();
      try {
        Session.Runner run = g.session.runner();
        run.feed(g.images, track(feeds, Feeds.images(data.inputs(from, to), data.size)));
        for (HeadSpec hs : heads) {
          float[] targets = new float[m * hs.classes()];
          float[] w = new float[m];
          for (int r = 0; r < m; r++) {
            data.target(hs.head(), from + r, targets, r, hs.classes());
            w[r] = hs.head().multiLabel() ? 1f : config.classWeight(hs.head(), data.classOf(hs.head(), from + r));
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
    Map<Head, Double> out = new EnumMap<>(Head.class);
    sums.forEach((h, a) -> out.put(h, a[0] / a[1]));
    return out;
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
