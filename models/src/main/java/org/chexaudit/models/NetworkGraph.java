package org.chexaudit.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * One TensorFlow graph and session holding a model: an inference pass (BatchNorm on running
 * statistics) and, when built for training, a training pass (BatchNorm on batch statistics) with
 * one {@link Objective} per head. Images enter as uint8 {@code [N,H,W]}, are cast to float and
 * repeated to 3 channels; the spec's {@link InputRecipe} says whether they are then scaled and
 * normalised (CheXclusion) or fed as 0..255 (chexploration).
 */
final class NetworkGraph implements AutoCloseable {
  static final String INPUT = "images";

  final ModelSpec spec;
  final Graph graph;
  final Ops tf;
  final ModelVariables vars;
  final Session session;
  final Placeholder<TUint8> images;
  final Operand<TFloat32> embeddings;
  final Map<Head, Operand<TFloat32>> logits = new LinkedHashMap<>();
  final Map<Head, Operand<TFloat32>> probabilities = new LinkedHashMap<>();
  /** Eval-mode per-sample losses, for the validation loss. */
  final Map<Head, Operand<TFloat32>> evalLoss = new LinkedHashMap<>();
  final Map<Head, Placeholder<TFloat32>> evalTargets = new LinkedHashMap<>();
  /** Training objectives in stepping order; empty for an inference graph. */
  final List<Objective> objectives = new ArrayList<>();
  /** Running-statistics updates run with every training micro-batch (empty for a strict probe). */
  final List<Op> bnUpdates = new ArrayList<>();
  Placeholder<TFloat32> lrCorrected;
  Placeholder<TFloat32> varianceCorrection;
  /** Seconds spent building each part of this graph, in order (for start-up profiling). */
  final Map<String, Double> buildSeconds = new LinkedHashMap<>();
  private long phaseStart = System.nanoTime();

  /**
   * What the training pass optimises and how.
   *
   * @param clipValue each gradient element is clamped to [-clipValue, clipValue] before the Adam
   *     update (CheXclusion); 0 leaves gradients as they are
   */
  record TrainingOptions(boolean trainBackbone, boolean batchNormTrainMode, float beta1, float beta2, float eps,
      float clipValue) {
    TrainingOptions(boolean trainBackbone, boolean batchNormTrainMode, float beta1, float beta2, float eps) {
      this(trainBackbone, batchNormTrainMode, beta1, beta2, eps, 0f);
    }
  }

  /** One loss, its trainable variables, gradient accumulators and Adam state. */
  static final class Objective {
    final HeadSpec head;
    final Placeholder<TFloat32> targets;
    final Placeholder<TFloat32> weights;
    final Placeholder<TFloat32> normaliser;
    final Operand<TFloat32> loss;
    final List<String> trainable;
    final List<Op> accumulateFirst = new ArrayList<>();
    final List<Op> accumulateMore = new ArrayList<>();
    final List<Op> apply = new ArrayList<>();

    Objective(HeadSpec head, Placeholder<TFloat32> targets, Placeholder<TFloat32> weights,
        Placeholder<TFloat32> normaliser, Operand<TFloat32> loss, List<String> trainable) {
      this.head = head;
      this.targets = targets;
      this.weights = weights;
      this.normaliser = normaliser;
      this.loss = loss;
      this.trainable = trainable;
    }

    String slotPrefix() {
      return "optimizer." + head.head().key() + ".";
    }
  }

  private NetworkGraph(ModelSpec spec, TrainingOptions training, int threads, TfDevice device) {
    this.spec = spec;
    this.graph = new Graph();
    this.tf = Ops.create(graph);
    this.vars = new ModelVariables(tf);
    this.images = tf.withName(INPUT).placeholder(TUint8.class,
        Placeholder.shape(Shape.of(-1, spec.imageSize(), spec.imageSize())));
    Operand<TFloat32> rgb = networkInput(tf, images, spec.input());
    Backbone backbone = spec.architecture().backbone();

    LayerBuilder eval = new LayerBuilder(tf.withSubScope("eval"), vars, false, backbone.convInit());
    this.embeddings = tf.withName("embeddings").identity(backbone.embed(eval, rgb));
    for (HeadSpec h : spec.heads()) {
      Operand<TFloat32> out = tf.withName("logits_" + h.head().key()).identity(
          eval.inGroup(h.name()).linear(h.name(), embeddings, h.classes(), backbone.headBiasInit()));
      logits.put(h.head(), out);
      probabilities.put(h.head(), tf.withName("probabilities_" + h.head().key())
          .identity(Losses.probabilities(tf, h.head(), out)));
      Placeholder<TFloat32> t = tf.withName("eval_targets_" + h.head().key()).placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, h.classes())));
      evalTargets.put(h.head(), t);
      evalLoss.put(h.head(), Losses.perSample(tf, h.head(), out, t));
    }
    phase("inference_pass");
    if (training != null) {
      buildTraining(rgb, backbone, training);
    }
    this.session = new Session(graph, device.sessionConfig(threads, false));
    phase("session");
  }

  private void phase(String name) {
    long now = System.nanoTime();
    buildSeconds.merge(name, (now - phaseStart) / 1e9, Double::sum);
    phaseStart = now;
  }

  static NetworkGraph inference(ModelSpec spec, int threads) {
    return inference(spec, threads, TfDevice.configured());
  }

  static NetworkGraph inference(ModelSpec spec, int threads, TfDevice device) {
    return new NetworkGraph(spec, null, threads, device);
  }

  static NetworkGraph training(ModelSpec spec, TrainingOptions options, int threads) {
    return training(spec, options, threads, TfDevice.configured());
  }

  static NetworkGraph training(ModelSpec spec, TrainingOptions options, int threads, TfDevice device) {
    return new NetworkGraph(spec, options, threads, device);
  }

  /** Grey uint8 {@code [N,H,W]} to the float {@code [N,H,W,3]} the backbone takes, as {@code recipe} says. */
  static Operand<TFloat32> networkInput(Ops tf, Operand<TUint8> images, InputRecipe recipe) {
    Operand<TFloat32> x = tf.expandDims(tf.dtypes.cast(images, TFloat32.class), tf.constant(-1));
    Operand<TFloat32> rgb = tf.tile(x, tf.constant(new int[] {1, 1, 1, 3}));
    if (!recipe.normalised()) {
      return rgb;
    }
    // torchvision: ToTensor() divides by 255, Normalize subtracts the mean then divides by the std.
    Operand<TFloat32> unit = tf.math.div(rgb, tf.constant(255f));
    return tf.math.div(tf.math.sub(unit, tf.constant(recipe.mean())), tf.constant(recipe.std()));
  }

  private void buildTraining(Operand<TFloat32> rgb, Backbone backbone, TrainingOptions o) {
    Ops t = tf.withSubScope("train");
    LayerBuilder train = new LayerBuilder(t, vars, o.batchNormTrainMode(), backbone.convInit());
    Operand<TFloat32> emb = backbone.embed(train, rgb);
    bnUpdates.addAll(train.bnUpdates());
    phase("training_pass");
    lrCorrected = tf.withName("adam_lr_corrected").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    varianceCorrection = tf.withName("adam_sqrt_bias2").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    for (HeadSpec h : spec.heads()) {
      String k = h.head().key();
      Operand<TFloat32> out = train.inGroup(h.name()).linear(h.name(), emb, h.classes(), backbone.headBiasInit());
      Placeholder<TFloat32> targets = tf.withName("targets_" + k).placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, h.classes())));
      Placeholder<TFloat32> weights = tf.withName("weights_" + k).placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1)));
      Placeholder<TFloat32> norm = tf.withName("normaliser_" + k).placeholder(TFloat32.class,
          Placeholder.shape(Shape.scalar()));
      // sum_i w_i l_i / (full-batch normaliser): micro-batch gradients then add up to the batch gradient.
      Operand<TFloat32> loss = tf.math.div(
          tf.sum(tf.math.mul(weights, Losses.perSample(tf, h.head(), out, targets)), tf.constant(0)), norm);
      Predicate<VariableSpec> trainable = s -> s.kind() == VariableSpec.Kind.PARAM
          && (s.group().equals(h.name()) || (o.trainBackbone() && s.group().equals(VariableSpec.BACKBONE)));
      List<String> names = vars.specs(trainable).stream().map(VariableSpec::name).toList();
      Objective obj = new Objective(h, targets, weights, norm, loss, names);
      buildOptimizer(obj, o);
      objectives.add(obj);
    }
  }

  /** Gradient accumulators and a PyTorch-semantics Adam step for one objective. */
  private void buildOptimizer(Objective obj, TrainingOptions o) {
    Output<?>[] xs = obj.trainable.stream().map(n -> vars.variable(n).asOutput()).toArray(Output<?>[]::new);
    phase("training_pass");
    Output<?>[] grads = graph.addGradients(obj.loss.asOutput(), xs);
    phase("gradients");
    Ops a = tf.withSubScope("adam_" + obj.head.head().key());
    Operand<TFloat32> b1 = a.constant(o.beta1());
    Operand<TFloat32> b2 = a.constant(o.beta2());
    Operand<TFloat32> oneMinusB1 = a.constant(1f - o.beta1());
    Operand<TFloat32> oneMinusB2 = a.constant(1f - o.beta2());
    Operand<TFloat32> eps = a.constant(o.eps());
    for (int i = 0; i < xs.length; i++) {
      String name = obj.trainable.get(i);
      VariableSpec ps = vars.spec(name);
      @SuppressWarnings("unchecked")
      Operand<TFloat32> g = (Operand<TFloat32>) grads[i];
      Variable<TFloat32> acc = vars.get(new VariableSpec("accumulator." + obj.head.head().key() + "." + name,
          ps.torchShape(), ps.layout(), VariableSpec.Kind.SLOT, VariableSpec.Init.ZEROS, "accumulator"));
      // CheXclusion clamps the batch gradient (here: the sum of its micro-batches) before the step.
      Operand<TFloat32> step = o.clipValue() > 0
          ? a.clipByValue(acc, a.constant(-o.clipValue()), a.constant(o.clipValue())) : acc;
      Variable<TFloat32> m = vars.get(ps.slot(obj.slotPrefix() + "exp_avg." + name));
      Variable<TFloat32> v = vars.get(ps.slot(obj.slotPrefix() + "exp_avg_sq." + name));
      obj.accumulateFirst.add(a.assign(acc, g));
      obj.accumulateMore.add(a.assignAdd(acc, g));
      Operand<TFloat32> m1 = a.assign(m, a.math.add(a.math.mul(m, b1), a.math.mul(step, oneMinusB1)));
      Operand<TFloat32> v1 = a.assign(v, a.math.add(a.math.mul(v, b2), a.math.mul(a.math.square(step), oneMinusB2)));
      // torch.optim.Adam: p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps)
      Operand<TFloat32> denom = a.math.add(a.math.div(a.math.sqrt(v1), varianceCorrection), eps);
      obj.apply.add(a.assignSub(vars.variable(name), a.math.mul(lrCorrected, a.math.div(m1, denom))));
    }
    phase("optimizer");
  }

  /** Model weights and BatchNorm buffers (what a checkpoint or SavedModel needs to predict). */
  static boolean isModelState(VariableSpec s) {
    return s.kind() == VariableSpec.Kind.PARAM || s.kind() == VariableSpec.Kind.BUFFER;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
