package org.chexaudit.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The variables of one graph, by PyTorch state-dict name. Values go in and out in PyTorch layout
 * ({@link NamedArray}); the TensorFlow layout is private to this class and {@link Layouts}.
 */
public final class ModelVariables {
  private final Ops tf;
  /**
   * The scopes of the load placeholders and assign ops, made once: {@code Ops.withSubScope} walks
   * every operation already in the graph (to learn the names in use), so calling it per variable
   * made building the optimizer's slot variables after the gradients quadratic (77 s of DenseNet-121's
   * start-up).
   */
  private final Ops loadScope;
  private final Ops assignScope;
  private final Map<String, VariableSpec> specs = new LinkedHashMap<>();
  private final Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();
  private final Map<String, Placeholder<TFloat32>> loadFeeds = new LinkedHashMap<>();
  private final Map<String, Assign<TFloat32>> loadOps = new LinkedHashMap<>();

  ModelVariables(Ops tf) {
    this.tf = tf;
    this.loadScope = tf.withSubScope("load");
    this.assignScope = tf.withSubScope("assign");
  }

  /** Returns the variable named {@code spec.name()}, creating it on first use. */
  Variable<TFloat32> get(VariableSpec spec) {
    Variable<TFloat32> existing = variables.get(spec.name());
    if (existing != null) {
      VariableSpec known = specs.get(spec.name());
      if (!Arrays.equals(known.torchShape(), spec.torchShape())) {
        throw new IllegalStateException("variable " + spec.name() + " reused with shape "
            + Arrays.toString(spec.torchShape()) + " but created with " + Arrays.toString(known.torchShape()));
      }
      return existing;
    }
    Variable<TFloat32> v = tf.withName(spec.name()).variable(Shape.of(spec.tfShape()), TFloat32.class);
    Placeholder<TFloat32> feed = loadScope.withName(spec.name()).placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(spec.tfShape())));
    specs.put(spec.name(), spec);
    variables.put(spec.name(), v);
    loadFeeds.put(spec.name(), feed);
    loadOps.put(spec.name(), assignScope.withName(spec.name()).assign(v, feed));
    return v;
  }

  public List<VariableSpec> specs() {
    return List.copyOf(specs.values());
  }

  public List<VariableSpec> specs(Predicate<VariableSpec> filter) {
    return specs.values().stream().filter(filter).toList();
  }

  Variable<TFloat32> variable(String name) {
    Variable<TFloat32> v = variables.get(name);
    if (v == null) {
      throw new IllegalArgumentException("no variable named " + name);
    }
    return v;
  }

  VariableSpec spec(String name) {
    return specs.get(name);
  }

  /** Number of trainable values (PyTorch's {@code sum(p.numel() for p in parameters())}). */
  public long parameterCount() {
    return specs.values().stream().filter(s -> s.kind() == VariableSpec.Kind.PARAM)
        .mapToLong(VariableSpec::size).sum();
  }

  /** Fresh values for every variable matching {@code filter}, as torchvision initialises them. */
  Map<String, NamedArray> initialValues(long seed, Predicate<VariableSpec> filter) {
    Map<String, NamedArray> out = new LinkedHashMap<>();
    for (VariableSpec s : specs.values()) {
      if (filter.test(s)) {
        out.put(s.name(), new NamedArray(s.name(), s.torchShape(), initialValues(s, seed)));
      }
    }
    return out;
  }

  private float[] initialValues(VariableSpec s, long seed) {
    // One stream per variable name, so values do not depend on construction order.
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + s.name().hashCode());
    float[] v = new float[(int) s.size()];
    switch (s.init()) {
      case ONES:
        Arrays.fill(v, 1f);
        break;
      case ZEROS:
        break;
      case HE_NORMAL_FAN_IN:
      case HE_NORMAL_FAN_OUT: {
        double fan = s.init() == VariableSpec.Init.HE_NORMAL_FAN_IN ? s.fanIn() : s.fanOut();
        double std = Math.sqrt(2.0 / fan);
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (rng.nextGaussian() * std);
        }
        break;
      }
      case LINEAR_DEFAULT: {
        // A bias's fan-in is its layer's, recorded as the second torch dim of the weight; for the
        // bias spec we encode it as torchShape = [out] and use the weight's fan-in via group lookup.
        long fanIn = s.torchShape().length == 2 ? s.torchShape()[1] : linearFanIn(s);
        double bound = 1.0 / Math.sqrt(fanIn);
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
        break;
      }
      default:
        throw new IllegalStateException("unknown init " + s.init());
    }
    return v;
  }

  private long linearFanIn(VariableSpec bias) {
    String weight = bias.name().replaceAll("\\.bias$", ".weight");
    VariableSpec w = specs.get(weight);
    if (w == null) {
      throw new IllegalStateException("bias " + bias.name() + " has no weight " + weight);
    }
    return w.torchShape()[1];
  }

  /** Assigns the given PyTorch-layout values; every name must be a variable of this graph. */
  void write(Session session, Map<String, NamedArray> values) {
    if (values.isEmpty()) {
      return;
    }
    List<Tensor> tensors = new ArrayList<>();
    try {
      Session.Runner runner = session.runner();
      for (NamedArray a : values.values()) {
        VariableSpec s = specs.get(a.name());
        if (s == null) {
          throw new IllegalArgumentException("no variable named " + a.name() + " in this model");
        }
        if (!Arrays.equals(s.torchShape(), a.shape())) {
          throw new IllegalArgumentException("tensor " + a.name() + " has shape " + Arrays.toString(a.shape())
              + " but the model expects " + Arrays.toString(s.torchShape()));
        }
        TFloat32 t = TFloat32.tensorOf(Shape.of(s.tfShape()),
            DataBuffers.of(Layouts.toTf(s, a.values()), true, false));
        tensors.add(t);
        runner.feed(loadFeeds.get(a.name()), t);
        runner.addTarget(loadOps.get(a.name()));
      }
      runner.run();
    } finally {
      tensors.forEach(Tensor::close);
    }
  }

  /** Reads the variables matching {@code filter}, in PyTorch layout. */
  Map<String, NamedArray> read(Session session, Predicate<VariableSpec> filter) {
    List<VariableSpec> wanted = specs(filter);
    Map<String, NamedArray> out = new LinkedHashMap<>();
    if (wanted.isEmpty()) {
      return out;
    }
    Session.Runner runner = session.runner();
    for (VariableSpec s : wanted) {
      runner.fetch(variables.get(s.name()));
    }
    try (Result r = runner.run()) {
      for (int i = 0; i < wanted.size(); i++) {
        VariableSpec s = wanted.get(i);
        float[] tfValues = new float[(int) s.size()];
        ((TFloat32) r.get(i)).copyTo(DataBuffers.of(tfValues, false, false));
        out.put(s.name(), new NamedArray(s.name(), s.torchShape(), Layouts.toTorch(s, tfValues)));
      }
    }
    return out;
  }

  Operand<TFloat32> operand(String name) {
    return variable(name);
  }
}
