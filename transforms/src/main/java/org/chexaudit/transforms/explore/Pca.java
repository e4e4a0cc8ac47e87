package org.chexaudit.transforms.explore;

import org.chexaudit.transforms.coders.CovarianceAccumulatorCoder;
import org.chexaudit.transforms.coders.DoubleArrayCoder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.chexaudit.transforms.coders.JavaSerializationCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.chexaudit.core.explore.CovarianceAccumulator;
import org.chexaudit.core.explore.PcaModel;

/**
 * PCA of keyed embeddings, as {@code sklearn PCA(n_components=fraction)}: the sample covariance
 * is combined across workers ({@link #covarianceFn()}), fitted once ({@link PcaModel}), and every
 * embedding is projected with the model as a side input.
 *
 * <p>Input: {@code KV<id, embedding>}. Output tuple: {@link #SCORES} ({@code KV<id, scores>}, one
 * value per kept mode) and {@link #MODEL} (a single {@link PcaModel}, e.g. for the
 * explained-variance curve). Empty input gives empty outputs; a single embedding, embeddings of
 * different lengths or non-finite values fail the run with a message naming the problem.
 */
public final class Pca extends PTransform<PCollection<KV<String, double[]>>, PCollectionTuple> {
  public static final TupleTag<KV<String, double[]>> SCORES = new TupleTag<>("Pca.SCORES") {};
  public static final TupleTag<PcaModel> MODEL = new TupleTag<>("Pca.MODEL") {};

  private final double varianceFraction;

  private Pca(double varianceFraction) {
    this.varianceFraction = varianceFraction;
  }

  /** Keeps the modes that explain more than 99% of the variance, as the explorer does. */
  public static Pca create() {
    return new Pca(0.99);
  }

  public Pca withVarianceFraction(double fraction) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException(
          "Pca: varianceFraction must be in (0, 1), got " + fraction);
    }
    return new Pca(fraction);
  }

  public double varianceFraction() {
    return varianceFraction;
  }

  /** Combines embeddings into their covariance sums; the output is flushed. */
  public static Combine.CombineFn<double[], ?, CovarianceAccumulator> covarianceFn() {
    return new CovarianceFn();
  }

  @Override
  public PCollectionTuple expand(PCollection<KV<String, double[]>> input) {
    PCollection<PcaModel> model = input
        .apply("Embeddings", Values.create())
        .apply("Covariance", Combine.globally(covarianceFn()).withoutDefaults())
        .apply("Fit", MapElements.via(new FitFn(varianceFraction)))
        .setCoder(JavaSerializationCoder.of(PcaModel.class));
    PCollectionView<PcaModel> view = model.apply("ModelView", View.asSingleton());
    PCollection<KV<String, double[]>> scores = input
        .apply("Project", ParDo.of(new ProjectFn(view)).withSideInputs(view))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), DoubleArrayCoder.of()));
    return PCollectionTuple.of(SCORES, scores).and(MODEL, model);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("varianceFraction", varianceFraction)
        .withLabel("Cumulative explained-variance fraction to exceed"));
  }

  private static final class FitFn extends SimpleFunction<CovarianceAccumulator, PcaModel> {
    private final double fraction;

    FitFn(double fraction) {
      this.fraction = fraction;
    }

    @Override
    public PcaModel apply(CovarianceAccumulator acc) {
      return PcaModel.fit(acc, fraction);
    }
  }

  private static final class ProjectFn extends DoFn<KV<String, double[]>, KV<String, double[]>> {
    private final PCollectionView<PcaModel> view;

    ProjectFn(PCollectionView<PcaModel> view) {
      this.view = view;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      PcaModel model = c.sideInput(view);
      KV<String, double[]> e = c.element();
      try {
        c.output(KV.of(e.getKey(), model.project(e.getValue())));
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("Pca: embedding " + e.getKey() + ": " + ex.getMessage(), ex);
      }
    }
  }

  /** Holds the accumulator once the first row has fixed the dimension. */
  static final class State {
    CovarianceAccumulator acc;
  }

  private static final class CovarianceFn
      extends Combine.CombineFn<double[], State, CovarianceAccumulator> {
    @Override
    public State createAccumulator() {
      return new State();
    }

    @Override
    public State addInput(State state, double[] row) {
      if (state.acc == null) {
        state.acc = new CovarianceAccumulator(row.length);
      }
      state.acc.add(row);
      return state;
    }

    @Override
    public State mergeAccumulators(Iterable<State> states) {
      State merged = new State();
      for (State s : states) {
        if (s.acc == null) {
          continue;
        }
        if (merged.acc == null) {
          merged.acc = new CovarianceAccumulator(s.acc.dimension());
        }
        merged.acc.merge(s.acc);
      }
      return merged;
    }

    @Override
    public CovarianceAccumulator extractOutput(State state) {
      if (state.acc == null || state.acc.count() < 2) {
        throw new IllegalArgumentException("Pca: needs at least 2 embeddings, got "
            + (state.acc == null ? 0 : state.acc.count()));
      }
      return state.acc.flush();
    }

    @Override
    public Coder<State> getAccumulatorCoder(CoderRegistry registry, Coder<double[]> inputCoder)
        throws CannotProvideCoderException {
      return new StateCoder();
    }

    @Override
    public Coder<CovarianceAccumulator> getDefaultOutputCoder(
        CoderRegistry registry, Coder<double[]> inputCoder) {
      return CovarianceAccumulatorCoder.of();
    }
  }

  private static final class StateCoder extends CustomCoder<State> {
    @Override
    public void encode(State state, OutputStream out) throws IOException {
      BooleanCoder.of().encode(state.acc != null, out);
      if (state.acc != null) {
        CovarianceAccumulatorCoder.of().encode(state.acc, out);
      }
    }

    @Override
    public State decode(InputStream in) throws IOException {
      State state = new State();
      if (BooleanCoder.of().decode(in)) {
        state.acc = CovarianceAccumulatorCoder.of().decode(in);
      }
      return state;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
