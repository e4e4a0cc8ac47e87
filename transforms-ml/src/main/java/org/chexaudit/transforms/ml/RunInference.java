package org.chexaudit.transforms.ml;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.chexaudit.models.Head;
import org.chexaudit.models.HeadSpec;
import org.chexaudit.models.ModelSpec;
import org.chexaudit.models.Predictor;
import org.chexaudit.models.Scores;
import org.chexaudit.schemas.Embedding;
import org.chexaudit.schemas.ImageExample;
import org.chexaudit.schemas.Prediction;
import org.chexaudit.schemas.TrustedSchemas;
import org.chexaudit.transforms.ml.Targets;
import org.joda.time.Instant;

/**
 * Scores {@link ImageExample}s with a trained model dir (seeds-spec A5 "Inference"): the model (any Beam
 * path; copied to a local folder once per JVM when not local) is loaded once per worker JVM and shared by
 * its DoFn instances ({@link SharedPredictors}), images are buffered and scored in batches, and
 * each image gives one {@link Prediction} per head (keyed by image id, with the original's targets)
 * and, when asked, one {@link Embedding}. BatchNorm runs in inference mode, so a score depends on the
 * images sharing its batch only through float rounding (TensorFlow kernels block by batch size).
 */
public final class RunInference extends PTransform<PCollection<ImageExample>, PCollectionTuple> {
  // explicit ids: see ModuleBoundariesTest.staticTupleTagsHaveExplicitIds
  public static final TupleTag<Prediction> PREDICTIONS = new TupleTag<>("RunInference.PREDICTIONS") {};
  public static final TupleTag<Embedding> EMBEDDINGS = new TupleTag<>("RunInference.EMBEDDINGS") {};

  private final String modelDir;
  private final int batchSize;
  private final int threads;
  private final boolean embeddings;

  private RunInference(String modelDir, int batchSize, int threads, boolean embeddings) {
    this.modelDir = modelDir;
    this.batchSize = batchSize;
    this.threads = threads;
    this.embeddings = embeddings;
  }

  /** Scores with the model in {@code modelDir} (a finished {@code train} output, any Beam path). */
  public static RunInference of(String modelDir) {
    checkArgumentNotNull(modelDir, "RunInference modelDir can not be null");
    return new RunInference(modelDir, 64, 0, true);
  }

  /** Images per TensorFlow run (and per buffered batch). */
  public RunInference withBatchSize(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("RunInference batchSize must be >= 1, got " + n);
    }
    return new RunInference(modelDir, n, threads, embeddings);
  }

  /** TensorFlow threads of the worker's shared model; 0 lets TensorFlow use all cores. */
  public RunInference withThreads(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("RunInference threads must be >= 0, got " + n);
    }
    return new RunInference(modelDir, batchSize, n, embeddings);
  }

  /** Whether to output {@link #EMBEDDINGS} (the output exists either way). */
  public RunInference withEmbeddings(boolean v) {
    return new RunInference(modelDir, batchSize, threads, v);
  }

  @Override
  public PCollectionTuple expand(PCollection<ImageExample> images) {
    PCollectionTuple out = images.apply("Score",
        ParDo.of(new ScoreFn(modelDir, batchSize, threads, embeddings))
            .withOutputTags(PREDICTIONS, TupleTagList.of(EMBEDDINGS)));
    out.get(PREDICTIONS).setCoder(AvroCoder.of(Prediction.class));
    out.get(EMBEDDINGS).setCoder(AvroCoder.of(Embedding.class));
    return out;
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("modelDir", modelDir))
        .add(DisplayData.item("batchSize", batchSize))
        .add(DisplayData.item("threads", threads))
        .add(DisplayData.item("embeddings", embeddings));
  }

  /** Buffers images of a bundle, scores them a batch at a time. */
  static final class ScoreFn extends DoFn<ImageExample, Prediction> {
    private final String modelDir;
    private final int batchSize;
    private final int threads;
    private final boolean embeddings;
    private transient Predictor predictor;
    private transient List<Pending> buffer;

    private record Pending(ImageExample image, Instant timestamp, BoundedWindow window) {}

    ScoreFn(String modelDir, int batchSize, int threads, boolean embeddings) {
      this.modelDir = modelDir;
      this.batchSize = batchSize;
      this.threads = threads;
      this.embeddings = embeddings;
    }

    @Setup
    public void setup() throws Exception {
      TrustedSchemas.install();
      predictor = SharedPredictors.LOADED.acquire(key());
    }

    SharedPredictors.Key key() {
      return new SharedPredictors.Key(modelDir, batchSize, threads);
    }

    Predictor predictor() {
      return predictor;
    }

    @StartBundle
    public void startBundle() {
      buffer = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element ImageExample image, @Timestamp Instant ts, BoundedWindow window,
        MultiOutputReceiver out) {
      buffer.add(new Pending(image, ts, window));
      if (buffer.size() >= batchSize) {
        flush((v, p) -> out.get(PREDICTIONS).outputWithTimestamp(v, p.timestamp),
            (v, p) -> out.get(EMBEDDINGS).outputWithTimestamp(v, p.timestamp));
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      flush((v, p) -> c.output(PREDICTIONS, v, p.timestamp, p.window),
          (v, p) -> c.output(EMBEDDINGS, v, p.timestamp, p.window));
    }

    @Teardown
    public void teardown() throws Exception {
      if (predictor != null) {
        predictor = null;
        SharedPredictors.LOADED.release(key());
      }
    }

    private void flush(BiConsumer<Prediction, Pending> predictions, BiConsumer<Embedding, Pending> embedded) {
      if (buffer.isEmpty()) {
        return;
      }
      List<ImageExample> images = new ArrayList<>(buffer.size());
      buffer.forEach(p -> images.add(p.image));
      Scores s = predictor.predict(images);
      ModelSpec spec = predictor.spec();
      for (int i = 0; i < images.size(); i++) {
        ImageExample e = images.get(i);
        Pending source = buffer.get(i);
        Map<String, String> attributes = new HashMap<>(e.getAttributes());
        for (HeadSpec h : spec.heads()) {
          predictions.accept(Prediction.newBuilder().setId(e.getId()).setPatientId(e.getPatientId())
              .setSplit(e.getSplit()).setTask(h.head().key())
              .setProbabilities(floats(s.probabilities(h.head())[i])).setLogits(floats(s.logits(h.head())[i]))
              .setTargets(targets(e, h, spec)).setAttributes(attributes).build(), source);
        }
        if (embeddings) {
          embedded.accept(Embedding.newBuilder().setId(e.getId()).setPatientId(e.getPatientId())
              .setSplit(e.getSplit()).setValues(floats(s.embeddings()[i]))
              .setDiseaseTargets(e.getLabels().size() == spec.diseaseClasses()
                  ? floats(Targets.disease(e, spec.diseaseClasses())) : List.of())
              .setSexLabel(e.getSexLabel()).setRaceLabel(e.getRaceLabel()).build(), source);
        }
      }
      buffer.clear();
    }

    private static List<Float> targets(ImageExample e, HeadSpec h, ModelSpec spec) {
      if (h.head() == Head.DISEASE) {
        return floats(Targets.disease(e, spec.diseaseClasses()));
      }
      Integer c = Targets.classIndex(e, h.head());
      return c == null ? List.of() : List.of(c.floatValue());
    }

    private static List<Float> floats(float[] v) {
      List<Float> l = new ArrayList<>(v.length);
      for (float f : v) {
        l.add(f);
      }
      return l;
    }
  }
}
